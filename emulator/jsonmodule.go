package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// JSON is the Starlark module `json`. It has Python's two functions, which
// behave as on the emulated runtime, and Starlark's own four:
//
//	json.dumps(obj)     json.dumps as upstream's runtime writes it:
//	                    separators ", " and ": ", floats as Python's
//	                    repr, dicts in insertion order; CPython escapes
//	                    non-ASCII as \uXXXX, MicroPython writes it raw.
//	json.loads(s)       json.loads of a str or bytes, as CPython 3.11 parses
//	                    it; bad input fails with its JSONDecodeError text
//	                    ("Expecting value: line 1 column 1 (char 0)"), or
//	                    with MicroPython's "syntax error in JSON". (The
//	                    real MicroPython parser also lets some malformed
//	                    input through, such as [1 2]; the emulator does
//	                    not.)
//	json.encode(x)      Starlark's compact encoder.
//	json.decode(s, default=None)  Starlark's decoder; with default, bad
//	                    input returns default instead of failing.
//	json.indent(s), json.encode_indent(x)  Starlark's pretty-printers.
//
// Without try/except, catch(json.loads, s) returns (value, None) or
// (None, message).
var JSON = &starlarkstruct.Module{Name: "json", Members: starlark.StringDict{
	"dumps":         starlark.NewBuiltin("json.dumps", jsonDumps),
	"loads":         starlark.NewBuiltin("json.loads", jsonLoads),
	"encode":        starlark.NewBuiltin("json.encode", jsonEncode),
	"decode":        starlark.NewBuiltin("json.decode", jsonDecode),
	"indent":        starlark.NewBuiltin("json.indent", jsonIndent),
	"encode_indent": starlark.NewBuiltin("json.encode_indent", jsonEncodeIndent),
}}

func jsonDumps(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, fmt.Errorf("%s: keyword arguments are not supported: it writes upstream's one format; json.encode_indent(x) pretty-prints", b.Name())
	}
	var obj starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, nil, 1, &obj); err != nil {
		return nil, err
	}
	rt := threadRuntime(thread)
	v, err := toJSONValue(thread, obj)
	if err != nil {
		return nil, err
	}
	s, err := rt.DumpJSON(v)
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

func jsonLoads(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &s); err != nil {
		return nil, err
	}
	if text, ok := starlark.AsString(s); ok {
		if err := checkLoads(thread, b.Name(), text); err != nil {
			return nil, err
		}
	} else if x, ok := s.(starlark.Bytes); ok {
		if err := checkLoads(thread, b.Name(), string(x)); err != nil {
			return nil, err
		}
	}
	rt := threadRuntime(thread)
	var v any
	var err error
	switch x := s.(type) {
	case starlark.String:
		v, err = rt.LoadJSON(string(x))
	case starlark.Bytes:
		v, err = rt.LoadJSONBytes([]byte(x))
	default:
		return nil, fmt.Errorf("the JSON object must be str, bytes or bytearray, not %s", pyTypeName(s))
	}
	if err != nil {
		return nil, err
	}
	return fromJSONValue(v), nil
}
