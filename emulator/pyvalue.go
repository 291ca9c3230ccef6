package emulator

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/europi-http/europi-http/pyrt"
	"go.starlark.net/starlark"
)

// pyTypeName is the Python type name of v, for error texts that copy
// Python's ("'list' object has no attribute 'get'").
func pyTypeName(v starlark.Value) string {
	switch v.(type) {
	case starlark.String:
		return "str"
	case starlark.Bytes:
		return "bytes"
	case starlark.NoneType:
		return "NoneType"
	case *starlark.Function:
		return "function"
	case *starlark.Builtin:
		return "builtin_function_or_method"
	case *stateDict:
		return "dict"
	}
	return v.Type()
}

// pyStr is str(v) as Python writes it for the values a script passes where
// upstream formats with str() or an f-string: header values, error
// messages. Strings are used as they are and floats as Python's repr; the
// rest uses Starlark's form, which matches Python's for ints, bools and
// None.
func pyStr(v starlark.Value, rt pyrt.Runtime) string {
	switch x := v.(type) {
	case starlark.String:
		return string(x)
	case starlark.Float:
		return rt.FloatStr(float64(x))
	}
	return v.String()
}

// maxJSONDepth bounds nesting when converting, as Python's recursion limit
// does for json.dumps.
const maxJSONDepth = 1000

// fromJSONValue converts what pyrt.Runtime.LoadJSON returns to Starlark
// values: objects become dicts in document order, arrays lists.
func fromJSONValue(v any) starlark.Value {
	switch x := v.(type) {
	case bool:
		return starlark.Bool(x)
	case int64:
		return starlark.MakeInt64(x)
	case *big.Int:
		return starlark.MakeBigInt(x)
	case float64:
		return starlark.Float(x)
	case string:
		return starlark.String(x)
	case []any:
		items := make([]starlark.Value, len(x))
		for i, e := range x {
			items[i] = fromJSONValue(e)
		}
		return starlark.NewList(items)
	case pyrt.JSONObject:
		dict := starlark.NewDict(len(x))
		for _, m := range x {
			_ = dict.SetKey(starlark.String(m.Key), fromJSONValue(m.Value))
		}
		return dict
	}
	return starlark.None
}

// toJSONValue converts a Starlark value to the values pyrt.Runtime.DumpJSON
// writes the way Python's json.dumps would: dicts keep insertion order,
// ints of any size stay exact, floats are float64, lists and tuples are
// arrays. It fails with Python's messages for values json.dumps rejects,
// and with a MemoryError when the text would not fit the thread's memory
// limit (a list holding the same list a thousand times, a thousand times
// over, is small to build and huge to write).
func toJSONValue(thread *starlark.Thread, v starlark.Value) (any, error) {
	c := jsonConverter{rt: threadRuntime(thread), budget: threadMemoryLimit(thread)}
	out, err := c.convert(v)
	if c.used > c.budget {
		return nil, outOfMemory(thread, "the JSON text would need more than the memory limit of %s", formatBytes(c.budget))
	}
	return out, err
}

// jsonNodeCost is roughly what one converted value costs: its interface
// slot, its boxed number and its separator in the text.
const jsonNodeCost = 24

type jsonConverter struct {
	rt pyrt.Runtime
	// path holds the lists and dicts being converted, for cycle
	// detection. Only they can close a cycle, and only they compare by
	// identity: == on two tuples panics, a starlark.Tuple being a slice.
	path  []starlark.Value
	depth int
	// used estimates the bytes converted so far; conversion stops past
	// budget.
	used, budget uint64
}

func (c *jsonConverter) convert(v starlark.Value) (any, error) {
	if c.used += jsonNodeCost; c.used > c.budget {
		return nil, errJSONBudget
	}
	switch x := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.Bool:
		return bool(x), nil
	case starlark.Int:
		if i, ok := x.Int64(); ok {
			return i, nil
		}
		c.used += uint64(x.BigInt().BitLen() / 3) // about its decimal digits
		return x.BigInt(), nil
	case starlark.Float:
		return float64(x), nil
	case starlark.String:
		c.used += uint64(c.rt.DumpedStringLen(string(x)))
		return string(x), nil
	case *starlark.List, starlark.Tuple, *starlark.Dict, *stateDict:
		return c.container(v)
	}
	return nil, fmt.Errorf("Object of type %s is not JSON serializable", pyTypeName(v))
}

// errJSONBudget stops a conversion that outgrew its budget; toJSONValue
// turns it into the MemoryError.
var errJSONBudget = errors.New("JSON budget exceeded")

func (c *jsonConverter) container(v starlark.Value) (any, error) {
	switch v.(type) {
	case *starlark.List, *starlark.Dict, *stateDict:
		for _, p := range c.path {
			if p == v {
				return nil, fmt.Errorf("Circular reference detected")
			}
		}
		c.path = append(c.path, v)
		defer func() { c.path = c.path[:len(c.path)-1] }()
	}
	if c.depth >= maxJSONDepth {
		return nil, fmt.Errorf("maximum recursion depth exceeded while encoding a JSON object")
	}
	c.depth++
	defer func() { c.depth-- }()

	if m, ok := v.(starlark.IterableMapping); ok {
		items := m.Items()
		obj := make(pyrt.JSONObject, 0, len(items))
		for _, kv := range items {
			key, err := c.key(kv[0])
			if err != nil {
				return nil, err
			}
			val, err := c.convert(kv[1])
			if err != nil {
				return nil, err
			}
			obj = append(obj, pyrt.JSONMember{Key: key, Value: val})
		}
		return obj, nil
	}
	seq := v.(starlark.Indexable)
	arr := make([]any, seq.Len())
	for i := range arr {
		val, err := c.convert(seq.Index(i))
		if err != nil {
			return nil, err
		}
		arr[i] = val
	}
	return arr, nil
}

// key converts a dict key as json.dumps does: strings as they are, numbers,
// booleans and None as their JSON text.
func (c *jsonConverter) key(k starlark.Value) (string, error) {
	switch x := k.(type) {
	case starlark.String:
		c.used += uint64(c.rt.DumpedStringLen(string(x)))
		return string(x), nil
	case starlark.Int:
		return x.String(), nil
	case starlark.Float:
		return c.rt.DumpJSON(float64(x))
	case starlark.Bool:
		return strconv.FormatBool(bool(x)), nil
	case starlark.NoneType:
		return "null", nil
	}
	return "", fmt.Errorf("keys must be str, int, float, bool or None, not %s", pyTypeName(k))
}
