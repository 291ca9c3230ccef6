package emulator

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// Every operation that can build more than it is given is refused before
// it builds it, with a MemoryError (or Python's RecursionError text for
// nesting no writer can take in one step); what fits gives Starlark's own
// results.
func TestTextGuards(t *testing.T) {
	const shared = "a = [1] * 100\nb = [a] * 100\nc = [b] * 100\n"
	const deep = "x = []\nfor i in range(2000):\n    x = [x]\n"
	tests := []struct {
		name, code string
		want       string // the load error after "app.star:", or "" to load
	}{
		{"join", "s = \"x\" * (1 << 20)\nX = \"\".join([s] * 8)",
			"3:12: MemoryError: join needs about 8 MiB, more than the memory limit of 4 MiB"},
		{"join with a separator", "X = (\"x\" * (1 << 20)).join([\"\"] * 8)",
			"2:27: MemoryError: join needs about 7 MiB, more than the memory limit of 4 MiB"},
		{"replace", "s = \"x\" * 3000\nX = s.replace(\"\", s)",
			"3:14: MemoryError: replace needs about 8.589 MiB, more than the memory limit of 4 MiB"},
		{"format", "s = \"x\" * (1 << 20)\nX = \"{0}{0}{0}{0}{0}\".format(s)",
			"3:29: MemoryError: format needs more than the memory limit of 4 MiB"},
		{"percent", "s = \"x\" * (1 << 20)\nX = \"%(a)s%(a)s%(a)s%(a)s%(a)s\" % {\"a\": s}",
			"3:33: MemoryError: % needs more than the memory limit of 4 MiB"},
		{"augmented percent", "s = \"x\" * (1 << 20)\nX = \"%s%s%s%s%s\"\nX %= (s, s, s, s, s)",
			"4:3: MemoryError: % needs more than the memory limit of 4 MiB"},
		{"split", "s = \"x,\" * (1 << 20)\nX = s.split(\",\")",
			"3:12: MemoryError: split needs about 32 MiB, more than the memory limit of 4 MiB"},
		{"getattr", "s = \"x\" * 3000\nX = getattr(s, \"replace\")(\"\", s)",
			"3:26: MemoryError: replace needs about 8.589 MiB, more than the memory limit of 4 MiB"},
		{"str of a shared structure", shared + "X = str([c] * 100)",
			"5:8: MemoryError: str() needs more than the memory limit of 4 MiB"},
		{"print of a shared structure", shared + "print(c, c, c)",
			"5:6: MemoryError: print() needs more than the memory limit of 4 MiB"},
		{"fail of a shared structure", shared + "fail(c, c)",
			"5:5: MemoryError: fail() needs more than the memory limit of 4 MiB"},
		{"json.encode of a shared structure", shared + "X = json.encode([c] * 100)",
			"5:16: MemoryError: json.encode needs more than the memory limit of 4 MiB"},
		{"json.encode_indent", "X = json.encode_indent([[0]] * 100000, indent = \" \" * 20)",
			"2:23: MemoryError: json.encode_indent needs more than the memory limit of 4 MiB"},
		{"json.indent", "X = json.indent(\"[\" + \"0,\" * 100000 + \"0]\", indent = \" \" * 100)",
			"2:16: MemoryError: json.indent() needs about 9.823 MiB, more than the memory limit of 4 MiB"},
		{"json.loads", "X = json.loads(\"[\" + \"0,\" * 300000 + \"0]\")",
			"2:15: MemoryError: json.loads() needs about 7.439 MiB, more than the memory limit of 4 MiB"},
		{"repr of a deep structure", deep + "X = repr(x)",
			"5:9: repr(): maximum recursion depth exceeded while getting the repr of an object"},
		{"% of a deep structure", deep + "X = \"%s\" % [x]",
			"5:10: %: maximum recursion depth exceeded while getting the repr of an object"},
		{"json.encode of a deep structure", deep + "X = json.encode(x)",
			"5:16: json.encode: maximum recursion depth exceeded while encoding a JSON object"},
		{"state holding itself", "state[\"self\"] = state\nX = str(state)",
			"3:8: str(): maximum recursion depth exceeded while getting the repr of an object"},
		{"what fits", `
l = [1]
m = l
l += [2]
l += (3,)
n = 7
checks = [
    (", ".join(["a", "b"]), "a, b"),
    ("a-b".replace("-", "+"), "a+b"),
    ("{} {x} {!r}".format("a", "b", x = 1), "a 1 \"b\""),
    ("{1}{0}{{}}".format("a", "b"), "ba{}"),
    ("%s=%d %r %%" % ("a", 1, "b"), "a=1 \"b\" %"),
    ("%(k)s" % {"k": [1]}, "[1]"),
    (n % 4, 3),
    (7 % 4, 3),
    ("a b\tc".split(), ["a", "b", "c"]),
    ("a\nb".splitlines(), ["a", "b"]),
    (str([1, [2, (3,)], {"k": None}]), "[1, [2, (3,)], {\"k\": None}]"),
    (repr("x"), "\"x\""),
    (m, [1, 2, 3]),
    ("x" + "y", "xy"),
    ([1] + [2], [1, 2]),
    (json.encode({"a": [1, "b"]}), "{\"a\":[1,\"b\"]}"),
    (json.indent("[1]", indent = " "), "[\n 1\n]"),
    (getattr("a,b", "split")(","), ["a", "b"]),
    ("abc".upper(), "ABC"),
]
for got, want in checks:
    if got != want:
        fail("got", repr(got), "want", repr(want))
s = "%s"
s %= "x"
if s != "x":
    fail(s)
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script, err := loadLimited(t, tt.code)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, script+":"+tt.want, err.Error())
		})
	}
}

// quotedLen is never less than the text Starlark's repr and json.encode
// write for a string, whatever its bytes.
func TestQuotedLenBoundsTheText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "\"", "\\", "\n", "\x00", "\x7f", "<", "&", "ü", "\u2028", "\U0001F600", "\u0300", "\xff", "\xe2\x82", "\ufeff"}
	thread := &starlark.Thread{}
	for range 2000 {
		var b strings.Builder
		for n := rng.IntN(12); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := starlark.String(b.String())
		assert.GreaterOrEqual(t, quotedLen(string(s), false), uint64(len(s.String())), "repr of %q", string(s))
		encoded, err := starlark.Call(thread, starlarkEncode, starlark.Tuple{s}, nil)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, quotedLen(string(s), true), uint64(len(encoded.(starlark.String))), "json of %q", string(s))
	}
}
