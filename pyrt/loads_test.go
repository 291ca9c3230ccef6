package pyrt

import (
	"encoding/json"
	"math/rand"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadResult runs CPython's LoadJSON and returns what the check below
// compares: json.dumps of the value as CPython writes it, or the error text.
func loadResult(t *testing.T, in string) (dumped string, errText string) {
	t.Helper()
	v, err := CPython.LoadJSON(in)
	if err != nil {
		return "", err.Error()
	}
	out, err := CPython.DumpJSON(v)
	require.NoError(t, err)
	return out, ""
}

// The expectations were taken from CPython 3.11's json.loads.
func TestLoadJSON(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: `{"cv1": 7.071, "cv2": 8.5, "cv3": 0}`, want: `{"cv1": 7.071, "cv2": 8.5, "cv3": 0}`},
		{in: " [1, -0, 1E5, 1.5e-3, 12345678901234567890123] ", want: `[1, 0, 100000.0, 0.0015, 12345678901234567890123]`},
		{in: `[NaN, Infinity, -Infinity, 1e400]`, want: `[NaN, Infinity, -Infinity, Infinity]`},
		{in: `{"a": 1, "b": 2, "a": 3}`, want: `{"a": 3, "b": 2}`},
		{in: `"\u00fc\ud83d\ude00\n\/"`, want: `"\u00fc\ud83d\ude00\n/"`},
		{in: `"grüß"`, want: `"gr\u00fc\u00df"`},
		{in: `null`, want: `null`},
		{in: `{}`, want: `{}`},
		{in: ``, err: "Expecting value: line 1 column 1 (char 0)"},
		{in: `   `, err: "Expecting value: line 1 column 4 (char 3)"},
		{in: `not json`, err: "Expecting value: line 1 column 1 (char 0)"},
		{in: `{`, err: "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
		{in: `{"a"`, err: "Expecting ':' delimiter: line 1 column 5 (char 4)"},
		{in: `{"a":1`, err: "Expecting ',' delimiter: line 1 column 7 (char 6)"},
		{in: `{"a":1,}`, err: "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"},
		{in: `[1,]`, err: "Expecting value: line 1 column 4 (char 3)"},
		{in: `[1 2]`, err: "Expecting ',' delimiter: line 1 column 4 (char 3)"},
		{in: `{"a": 1} x`, err: "Extra data: line 1 column 10 (char 9)"},
		{in: "{\n  \"a\": tru\n}", err: "Expecting value: line 2 column 8 (char 9)"},
		{in: `01`, err: "Extra data: line 1 column 2 (char 1)"},
		{in: `1.`, err: "Extra data: line 1 column 2 (char 1)"},
		{in: `1e`, err: "Extra data: line 1 column 2 (char 1)"},
		{in: `-`, err: "Expecting value: line 1 column 1 (char 0)"},
		{in: `"abc`, err: "Unterminated string starting at: line 1 column 1 (char 0)"},
		{in: "\"a\tb\"", err: "Invalid control character at: line 1 column 3 (char 2)"},
		{in: `"\x"`, err: "Invalid \\escape: line 1 column 2 (char 1)"},
		{in: `"\u12"`, err: "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
		{in: `"\u12x4"`, err: "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
		{in: "\ufeff[]", err: "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"},
		{in: `"ü" x`, err: "Extra data: line 1 column 5 (char 4)"},
		{in: strings.Repeat("[", 1001), err: "maximum recursion depth exceeded while decoding a JSON array from a unicode string"},
		{in: strings.Repeat("9", 4301), err: "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errText := loadResult(t, tt.in)
			assert.Equal(t, tt.err, errText)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestLoadJSONMatchesCPython feeds random JSON-like text to this decoder
// and to the python3 on PATH, and wants the same value or the same error.
func TestLoadJSONMatchesCPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH; the fixed cases in TestLoadJSON still run")
	}
	if out, err := exec.Command(python, "-c", "import sys; print(sys.version_info[:2] == (3, 11))").Output(); err != nil || strings.TrimSpace(string(out)) != "True" {
		t.Skip("python3 is not CPython 3.11, whose messages the decoder copies")
	}
	rng := rand.New(rand.NewSource(1))
	pieces := []string{`{`, `}`, `[`, `]`, `"`, `"a"`, `:`, `,`, ` `, "\n", `\`, `\u`, `\ud83d`, `\ude00`, `u`, `0`, `1`, `9`,
		`-`, `+`, `.`, `e`, `E`, `null`, `tru`, `true`, `false`, `NaN`, `Infinity`, `-Infinity`, `x`, "\t", `é`, `/`, `n`, `ff`}
	inputs := make([]string, 3000)
	for i := range inputs {
		var b strings.Builder
		for n := rng.Intn(9); n >= 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		inputs[i] = b.String()
	}
	payload, err := json.Marshal(inputs)
	require.NoError(t, err)
	const script = `
import json, sys
for s in json.load(sys.stdin):
    try:
        print(json.dumps(["ok", json.dumps(json.loads(s))]))
    except Exception as e:
        print(json.dumps(["err", str(e)]))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = strings.NewReader(string(payload))
	out, err := cmd.Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, len(inputs))
	for i, line := range lines {
		var res [2]string
		require.NoError(t, json.Unmarshal([]byte(line), &res))
		got, errText := loadResult(t, inputs[i])
		if res[0] == "err" {
			assert.Equal(t, res[1], errText, "error for %q", inputs[i])
			continue
		}
		if strings.Contains(got, `\ufffd`) && !strings.Contains(res[1], `\ufffd`) {
			continue // a lone surrogate, which a Go string cannot hold
		}
		assert.Equal(t, res[1], got, "value of %q", inputs[i])
	}
}

// A JSON object decodes to a dict in document order, so it dumps back in
// the same order.
func TestLoadJSONKeepsOrder(t *testing.T) {
	v, err := CPython.LoadJSON(`{"z": 1, "a": {"y": [], "b": null}, "z": 2}`)
	require.NoError(t, err)
	assert.Equal(t, JSONObject{{"z", int64(2)}, {"a", JSONObject{{"y", []any{}}, {"b", nil}}}}, v)
}

// On MicroPython every error is its one message, and a surrogate escape
// stays a lone code unit.
func TestLoadJSONOnMicroPython(t *testing.T) {
	_, err := MicroPython.LoadJSON("{nope")
	assert.Equal(t, ErrMicroPythonJSON, err)
	v, err := MicroPython.LoadJSON(`"\ud83d\ude00"`)
	require.NoError(t, err)
	assert.Equal(t, "\xed\xa0\xbd\xed\xb8\x80", v)
	v, err = CPython.LoadJSONBytes([]byte("\xef\xbb\xbf[1]"))
	require.NoError(t, err)
	assert.Equal(t, []any{int64(1)}, v)
}
