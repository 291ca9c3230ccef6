package server

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDumpJSON(t *testing.T) {
	tests := []struct {
		name  string
		value any
		cpy   string
		mpy   string
	}{
		{"null", nil, "null", "null"},
		{"bools", []any{true, false}, "[true, false]", "[true, false]"},
		{"ints", []any{0, -7, int64(1) << 40}, "[0, -7, 1099511627776]", "[0, -7, 1099511627776]"},
		{"floats", []any{2.5, 1.0, 0.1, 1e16, 1e15, 0.0001, 0.00001, math.Copysign(0, -1), 1.5e-7, 123456789.123},
			"[2.5, 1.0, 0.1, 1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, 1.5e-07, 123456789.123]",
			"[2.5, 1.0, 0.1, 1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, 1.5e-07, 123456789.123]"},
		{"float32 keeps single precision digits", float32(0.1), "0.1", "0.1"},
		{"specials", []any{math.NaN(), math.Inf(1), math.Inf(-1)}, "[NaN, Infinity, -Infinity]", "[nan, inf, -inf]"},
		{"strings", "a\"b\\c\nd\re\tf\bg\fh\x01i\x7f", `"a\"b\\c\nd\re\tf\bg\fh\u0001i` + "\x7f" + `"`,
			`"a\"b\\c\nd\re\tf\u0008g\u000ch\u0001i` + "\x7f" + `"`},
		{"non-ASCII", "\u00fc\u2014\U0001F600", `"\u00fc\u2014\ud83d\ude00"`, "\"\u00fc\u2014\U0001F600\""},
		{"ordered object", JSONObject{{"b", 1}, {"a", JSONObject{}}, {"c", []any{}}}, `{"b": 1, "a": {}, "c": []}`, `{"b": 1, "a": {}, "c": []}`},
		{"map keys sorted", map[string]any{"b": 1, "a": 2}, `{"a": 2, "b": 1}`, `{"a": 2, "b": 1}`},
		{"typed slice", []string{"x"}, `["x"]`, `["x"]`},
		{"struct keeps field order", struct {
			Z int `json:"z"`
			A int `json:"a"`
		}{1, 2}, `{"z": 1, "a": 2}`, `{"z": 1, "a": 2}`},
		{"json numbers as Python reads them", []any{json.Number("1.50"), json.Number("15"), json.Number("1e3")}, "[1.5, 15, 1000.0]", "[1.5, 15, 1000.0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CPython.DumpJSON(tt.value)
			require.NoError(t, err)
			assert.Equal(t, tt.cpy, got)
			got, err = MicroPython.DumpJSON(tt.value)
			require.NoError(t, err)
			assert.Equal(t, tt.mpy, got)
		})
	}
}

func TestDumpJSONRejectsCyclesAndUnsupported(t *testing.T) {
	cyclic := []any{nil}
	cyclic[0] = cyclic
	_, err := CPython.DumpJSON(cyclic)
	assert.ErrorContains(t, err, "maximum recursion depth")
	deep := any(1)
	for range 900 {
		deep = []any{deep}
	}
	_, err = CPython.DumpJSON(deep)
	assert.NoError(t, err)
	_, err = CPython.DumpJSON(make(chan int))
	assert.ErrorContains(t, err, "not JSON serializable")
}

// TestFloatReprMatchesPython checks Python's repr() rules on random
// floats against python3 itself, where it is installed.
func TestFloatReprMatchesPython(t *testing.T) {
	py := python3(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var floats []float64
	for range 2000 {
		floats = append(floats, math.Float64frombits(rng.Uint64()), rng.Float64()*math.Pow(10, float64(rng.IntN(40)-20)))
	}
	floats = append(floats, 1e16, 9999999999999998, 1e-4, 9.999e-5, 5e-324, math.MaxFloat64)
	var in bytes.Buffer
	var want []string
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		in.WriteString(CPython.floatRepr(f, 64) + "\n")
		want = append(want, CPython.floatRepr(f, 64))
	}
	out := runPython(t, py, "import sys\nfor l in sys.stdin: print(repr(float(l)))", in.Bytes())
	assert.Equal(t, want, strings.Fields(out))
}

func TestDecodeErrorMessagesMatchPython(t *testing.T) {
	py := python3(t)
	cases := [][]byte{
		{0xff}, {0x80}, {0xc0, 0x80}, {0xc2}, {0xc2, 0x41}, {0xe2, 0x82}, {0xe2, 0x28, 0xa1},
		{0xe0, 0x80, 0x80}, {0xed, 0xa0, 0x80}, {0xf0, 0x90, 0x28}, {0xf0, 0x80}, {0xf4, 0x90, 0x80, 0x80},
		{0xf5}, {'a', 'b', 0xf0, 0x9f, 0x98}, []byte("GET /\xff HTTP/1.1"),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		b := make([]byte, 1+rng.IntN(8))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[i] = 0x80 | byte(rng.IntN(64))
			}
		}
		cases = append(cases, b)
	}
	var in bytes.Buffer
	var want []string
	for _, c := range cases {
		_, err := CPython.Decode(c)
		msg := "ok"
		if err != nil {
			msg = err.Error()
		}
		want = append(want, msg)
		in.WriteString(strings.ToUpper(hexString(c)) + "\n")
	}
	script := `import sys
for l in sys.stdin:
    try:
        bytes.fromhex(l.strip()).decode("UTF-8"); print("ok")
    except UnicodeDecodeError as e:
        print(str(e))`
	out := runPython(t, py, script, in.Bytes())
	assert.Equal(t, want, strings.Split(strings.TrimRight(out, "\n"), "\n"))
}

func TestFirstWord(t *testing.T) {
	tests := []struct {
		request string
		rt      Runtime
		want    string
		ok      bool
	}{
		{"PUT / HTTP/1.1", CPython, "PUT", true},
		{"\t\r\n OPTIONS\t*", CPython, "OPTIONS", true},
		{"", CPython, "", false},
		{" \r\n\x1c", CPython, "", false},
		{" \r\n\x1c", MicroPython, "\x1c", true},
		{"\x00GET", CPython, "\x00GET", true},
		{"A\u3000B", CPython, "A", true},
		{"A\u3000B", MicroPython, "A\u3000B", true},
	}
	for _, tt := range tests {
		got, ok := tt.rt.FirstWord(tt.request)
		assert.Equal(t, tt.ok, ok, "%q", tt.request)
		assert.Equal(t, tt.want, got, "%q", tt.request)
	}
}

func TestParseRuntime(t *testing.T) {
	for name, want := range map[string]Runtime{"cpython": CPython, "MicroPython": MicroPython, "python3": CPython} {
		got, err := ParseRuntime(name)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		again, err := ParseRuntime(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, again)
	}
	_, err := ParseRuntime("jython")
	assert.ErrorContains(t, err, `unknown runtime "jython"`)
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func python3(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: cannot cross-check with CPython")
	}
	return path
}

func runPython(t *testing.T, py, script string, stdin []byte) string {
	t.Helper()
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.Output()
	require.NoError(t, err)
	return string(out)
}

func TestMicroPythonDecodeIsLenientLikeUtf8Check(t *testing.T) {
	tests := []struct {
		raw []byte
		ok  bool
	}{
		{[]byte("plain"), true},
		{[]byte{0xc0, 0xaf}, true},             // overlong
		{[]byte{0xed, 0xa0, 0x80}, true},       // surrogate
		{[]byte{0xf7, 0xbf, 0xbf, 0xbf}, true}, // beyond U+10FFFF
		{[]byte{0xf8, 0x80}, false},
		{[]byte{0xe2, 0x82}, false},
		{[]byte{0x80}, false},
		{[]byte{0xc3, 0x41}, false},
	}
	for _, tt := range tests {
		got, err := MicroPython.Decode(tt.raw)
		if tt.ok {
			assert.NoError(t, err, "% x", tt.raw)
			assert.Equal(t, string(tt.raw), got)
		} else {
			assert.Equal(t, &DecodeError{}, err, "% x", tt.raw)
		}
	}
}

// TestMicroPythonDecodeMatchesMicroPython cross-checks random byte strings
// with the micropython binary, where it is installed.
func TestMicroPythonDecodeMatchesMicroPython(t *testing.T) {
	mpy, err := exec.LookPath("micropython")
	if err != nil {
		t.Skip("micropython not on PATH: cannot cross-check its UTF-8 check")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var in bytes.Buffer
	var want []string
	for range 400 {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = byte(0x80 + rng.IntN(128))
			if rng.IntN(4) == 0 {
				b[i] = byte(rng.IntN(128))
			}
		}
		_, err := MicroPython.Decode(b)
		want = append(want, map[bool]string{true: "ok", false: "err"}[err == nil])
		in.WriteString(hexString(b) + "\n")
	}
	script := `import sys
for l in sys.stdin:
    l = l.strip()
    b = bytes(int(l[i:i+2], 16) for i in range(0, len(l), 2))
    try:
        b.decode("UTF-8")
        print("ok")
    except UnicodeError:
        print("err")`
	out := runPython(t, mpy, script, in.Bytes())
	assert.Equal(t, want, strings.Fields(out))
}
