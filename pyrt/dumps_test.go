package pyrt

import (
	"encoding/json"
	"math"
	"math/rand/v2"
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

// DumpedStringLen is the length DumpJSON writes, on both runtimes.
func TestDumpedStringLen(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", "\"", "\\", "\n", "\b", "\x01", "\x7f", "ü", "\u2028", "\U0001F600", "\xff", "\xe2\x82", "€"}
	for range 2000 {
		var b strings.Builder
		for n := rng.IntN(10); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		for _, rt := range []Runtime{CPython, MicroPython} {
			text, err := rt.DumpJSON(b.String())
			require.NoError(t, err)
			assert.Equal(t, len(text), rt.DumpedStringLen(b.String()), "%s: %q", rt, b.String())
		}
	}
}
