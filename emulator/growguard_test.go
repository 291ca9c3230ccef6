package emulator

import (
	"fmt"
	"maps"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// settable is a value with a field a script may assign, which no value the
// emulator predeclares has: it shows that `x.f += s` is checked as
// `a[i] += s` is.
type settable struct{ fields map[string]starlark.Value }

func (s *settable) String() string        { return "settable" }
func (s *settable) Type() string          { return "settable" }
func (s *settable) Freeze()               {}
func (s *settable) Truth() starlark.Bool  { return true }
func (s *settable) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: settable") }
func (s *settable) AttrNames() []string   { return []string{"f"} }

func (s *settable) Attr(name string) (starlark.Value, error) { return s.fields[name], nil }

func (s *settable) SetField(name string, v starlark.Value) error {
	s.fields[name] = v
	return nil
}

// runWithLimit runs code as a script's top level is run, with a memory
// limit and no watchdog, so that limits far below the heap's noise can be
// tested: a refused allocation is the only way it fails for memory.
func runWithLimit(code string, limit uint64) error {
	thread := &starlark.Thread{Name: "test"}
	thread.SetLocal(envKey, &env{mem: &memoryWatch{limit: limit}})
	predeclared := maps.Clone(builtins)
	predeclared["obj"] = &settable{fields: map[string]starlark.Value{"f": starlark.String("")}}
	predeclared["state"] = newStateDict()
	err := execScript(thread, source{name: "app.star", code: []byte(code)}, predeclared)
	if err == nil {
		return nil
	}
	return asScriptError("app.star", err)
}

// An augmented assignment to an element or an attribute, and list.extend,
// are refused before they grow a value past the memory limit, with the
// MemoryError the other operators give; what fits behaves as Starlark's
// own += and extend, in place, with Starlark's own errors.
func TestInPlaceGrowthGuards(t *testing.T) {
	const s = "S = \"x\" * 768\n" // half the limit and more
	const l = "L = [0] * 40\n"    // 640 bytes of slots
	tests := []struct {
		name, code string
		want       string // the error after "app.star:", or "" to run
	}{
		{"name", s + "X = S\nX += S",
			"3:6: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"list element", s + "A = [S]\nA[0] += S",
			"3:6: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"dict entry", s + "D = {\"k\": S}\nD[\"k\"] += S",
			"3:8: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"state entry", s + "state[\"k\"] = S\nstate[\"k\"] += S",
			"3:12: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"attribute", s + "obj.f = S\nobj.f += S",
			"3:7: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"nested element", s + "A = [[S]]\nA[0][0] += S",
			"3:9: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"element chosen by a call", s + "A = [S]\ndef first():\n    return 0\nA[first()] += S",
			"5:12: MemoryError: str + str needs about 1.5 KiB, more than the memory limit of 1 KiB"},
		{"list element extended by a list", l + "A = [L]\nA[0] += L",
			"3:6: MemoryError: list + list needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"list element extended by a range", l + "A = [L]\nA[0] += range(40)",
			"3:6: MemoryError: list + range needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"list element extended by a dict", l + "A = [L]\nA[0] += {i: i for i in range(40)}",
			"3:6: MemoryError: list + dict needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"tuple element", "A = [(0,) * 40]\nA[0] += (1,) * 40",
			"2:6: MemoryError: tuple + tuple needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"extend", l + "L.extend(L)",
			"2:9: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"extend by a range", l + "L.extend(range(40))",
			"2:9: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"extend of an element", l + "A = [L]\nA[0].extend(L)",
			"3:12: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"extend bound first", l + "grow = L.extend\ngrow(L)",
			"3:5: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"extend through getattr", l + "getattr(L, \"extend\")(L)",
			"2:21: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		{"catch does not catch it", l + "catch(L.extend, L)",
			"2:6: MemoryError: extend needs about 1.25 KiB, more than the memory limit of 1 KiB"},
		// Starlark's own errors, as before.
		{"list extended during iteration", "A = [[1]]\nfor x in A[0]:\n    A[0] += [2]",
			"3:10: cannot apply += to list during iteration"},
		{"frozen list", "europi.cvs += [1]",
			"1:12: cannot apply += to frozen list"},
		{"list plus a number", "A = [[1]]\nn = 1\nA[0] += n",
			"3:6: unknown binary op: list + int"},
		{"attribute of a module", "MimeTypes.HTML += \"x\"",
			"1:10: can't assign to .HTML field of module"},
		{"extend by a number", l + "L.extend(1)",
			"2:9: extend: for parameter 1: got int, want iterable"},
		{"what fits", `
A = [[1]]
M = A[0]
A[0] += [2]
A[0] += (3,)
A[0] += range(4, 5)
A[0] += {5: None}
A[0] += A[0][:1]
D = {"k": "a", "n": 1}
D["k"] += "b"
n = 2
D["n"] += n
obj.f += "c"
obj.f += "d"
T = [(1,)]
T[0] += (2,)
E = [1]
F = E
E.extend([2])
getattr(E, "extend")((3,))
E.extend(E)
checks = [
    (M, [1, 2, 3, 4, 5, 1]),
    (A[0] == M, True),
    (D, {"k": "ab", "n": 3}),
    (obj.f, "cd"),
    (T, [(1, 2)]),
    (F, [1, 2, 3, 1, 2, 3]),
]
for got, want in checks:
    if got != want:
        fail("got", repr(got), "want", repr(want))
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runWithLimit(tt.code, 1<<10)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, "app.star:"+tt.want, err.Error())
		})
	}
}

// The checks are in the scripts the emulator loads, not only in the test
// harness above.
func TestInPlaceGrowthGuardsAtLoad(t *testing.T) {
	tests := []struct{ name, code, want string }{
		{"element", "S = \"x\" * (3 << 20)\nA = [S]\nA[0] += S",
			"4:6: MemoryError: str + str needs about 6 MiB, more than the memory limit of 4 MiB"},
		{"extend", "L = [0] * (200 << 10)\nL.extend(L)",
			"3:9: MemoryError: extend needs about 6.25 MiB, more than the memory limit of 4 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC() // so the heap's growth is the script's
			script, err := loadLimited(t, tt.code)
			require.Error(t, err)
			assert.Equal(t, script+":"+tt.want, err.Error())
		})
	}
}
