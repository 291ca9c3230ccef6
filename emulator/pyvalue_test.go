package emulator

import (
	"strings"
	"testing"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// nestedTuples is 1 inside n tuples.
func nestedTuples(n int) starlark.Value {
	var v starlark.Value = starlark.MakeInt(1)
	for range n {
		v = starlark.Tuple{v}
	}
	return v
}

// json.dumps writes tuples as arrays, nested or shared as they may be,
// and finds cycles, which only lists and dicts can close.
func TestToJSONValue(t *testing.T) {
	one, two, three := starlark.MakeInt(1), starlark.MakeInt(2), starlark.MakeInt(3)
	shared := starlark.NewList([]starlark.Value{one})
	dictOf := func(k string, v starlark.Value) *starlark.Dict {
		d := starlark.NewDict(1)
		require.NoError(t, d.SetKey(starlark.String(k), v))
		return d
	}
	selfList := starlark.NewList(nil)
	require.NoError(t, selfList.Append(starlark.Tuple{selfList}))
	selfDict := dictOf("x", starlark.None)
	require.NoError(t, selfDict.SetKey(starlark.String("self"), starlark.Tuple{starlark.Tuple{selfDict}}))
	selfState := newStateDict()
	require.NoError(t, selfState.SetKey(starlark.String("state"), selfState))

	tests := []struct {
		name string
		v    starlark.Value
		want string // the JSON text, or the error's if err
		err  bool
	}{
		{"tuple in a tuple", starlark.Tuple{starlark.Tuple{one}}, `[[1]]`, false},
		{"tuples in a dict", dictOf("a", starlark.Tuple{starlark.Tuple{one, two}, starlark.Tuple{three}}), `{"a": [[1, 2], [3]]}`, false},
		{"equal tuples side by side", starlark.Tuple{starlark.Tuple{one}, starlark.Tuple{one}}, `[[1], [1]]`, false},
		{"a list shared, not a cycle", starlark.Tuple{shared, shared, starlark.Tuple{shared}}, `[[1], [1], [[1]]]`, false},
		{"a list holding itself in a tuple", selfList, "Circular reference detected", true},
		{"a dict holding itself in tuples", selfDict, "Circular reference detected", true},
		{"state holding itself", selfState, "Circular reference detected", true},
		{"deeply nested tuples", nestedTuples(400), strings.Repeat("[", 400) + "1" + strings.Repeat("]", 400), false},
		{"tuples deeper than the limit", nestedTuples(maxJSONDepth + 1), "maximum recursion depth exceeded while encoding a JSON object", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv, err := toJSONValue(&starlark.Thread{}, tt.v)
			if tt.err {
				assert.EqualError(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			text, err := pyrt.CPython.DumpJSON(conv)
			require.NoError(t, err)
			assert.Equal(t, tt.want, text)
		})
	}
}
