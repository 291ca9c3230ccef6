package emulator

import (
	"fmt"

	starlarkjson "go.starlark.net/lib/json"
	"go.starlark.net/starlark"
)

// maxJSONTextDepth bounds the nesting json.decode accepts, as Python's
// recursion limit bounds json.loads: Starlark's decoder recurses once per
// level, and "[" * 20000000 would overflow the Go stack, which kills the
// process rather than failing the call.
const maxJSONTextDepth = 1000

// jsonShape is what one pass over JSON text finds without parsing it.
type jsonShape struct {
	// tooDeepAt is the offset of the first bracket nested deeper than the
	// limit, or -1.
	tooDeepAt int
	// values counts the values the text can hold (one per comma or
	// opening bracket, and one more), members the object members.
	values, members uint64
	// lines is how many line breaks indenting the text adds, and
	// indents how many indentation steps they carry in all.
	lines, indents uint64
}

// scanJSONShape measures s, whose nesting may not exceed maxDepth. It
// skips strings, and does not check that s is valid JSON: the decoder
// itself says what is wrong with it.
func scanJSONShape(s string, maxDepth int) jsonShape {
	shape := jsonShape{tooDeepAt: -1, values: 1}
	depth := uint64(0)
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth > uint64(maxDepth) && shape.tooDeepAt < 0 {
				shape.tooDeepAt = i
				return shape
			}
			shape.values++
			shape.lines++
			shape.indents += depth
		case ',':
			shape.values++
			shape.lines++
			shape.indents += depth
		case ':':
			shape.members++
		case ']', '}':
			if depth > 0 {
				depth--
			}
			shape.lines++
			shape.indents += depth
		}
	}
	return shape
}

// decodedSize estimates what decoding text of this shape allocates: the
// strings, a slot per value and an entry per member.
func (s jsonShape) decodedSize(textLen int) uint64 {
	return addSat(uint64(textLen), addSat(mulSat(s.values, valueSize), mulSat(s.members, hashEntrySize)))
}

var starlarkDecode = starlarkjson.Module.Members["decode"].(*starlark.Builtin)

// jsonDecode is Starlark's json.decode, refusing text nested deeper than
// maxJSONTextDepth (as invalid input: with default= it returns the
// default) and text whose values would not fit the memory limit.
func jsonDecode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		if s, ok := args[0].(starlark.String); ok {
			shape := scanJSONShape(string(s), maxJSONTextDepth)
			if shape.tooDeepAt >= 0 {
				if d := decodeDefault(args, kwargs); d != nil {
					return d, nil
				}
				return nil, fmt.Errorf("%s: at offset %d, nesting deeper than %d levels", b.Name(), shape.tooDeepAt, maxJSONTextDepth)
			}
			if err := checkAlloc(thread, shape.decodedSize(len(s)), b.Name()+"()"); err != nil {
				return nil, err
			}
		}
	}
	return starlarkDecode.CallInternal(thread, args, kwargs)
}

// decodeDefault is json.decode's default argument, or nil.
func decodeDefault(args starlark.Tuple, kwargs []starlark.Tuple) starlark.Value {
	if len(args) > 1 {
		return args[1]
	}
	for _, kv := range kwargs {
		if k, _ := kv[0].(starlark.String); k == "default" {
			return kv[1]
		}
	}
	return nil
}

var (
	starlarkEncode       = starlarkjson.Module.Members["encode"].(*starlark.Builtin)
	starlarkEncodeIndent = starlarkjson.Module.Members["encode_indent"].(*starlark.Builtin)
	starlarkIndent       = starlarkjson.Module.Members["indent"].(*starlark.Builtin)
)

// errJSONTextDepth is the error for a value nested too deep to encode.
const errJSONTextDepth = "maximum recursion depth exceeded while encoding a JSON object"

// jsonEncode is Starlark's json.encode, and jsonEncodeIndent its
// encode_indent, refusing a value whose text would not fit the memory
// limit (a list shared at every level of a deep structure is small to
// build and enormous to write) or that nests deeper than maxTextDepth.
func jsonEncode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := checkEncode(thread, b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return starlarkEncode.CallInternal(thread, args, kwargs)
}

func jsonEncodeIndent(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := checkEncode(thread, b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return starlarkEncodeIndent.CallInternal(thread, args, kwargs)
}

func checkEncode(thread *starlark.Thread, name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(args) == 0 {
		return nil // Starlark reports the error
	}
	w := newTextWalker(thread, true)
	w.walk(args[0])
	prefix, indent := indentArgs(kwargs)
	w.add(indentCost(w.lines, w.indents, prefix, indent))
	return w.refusal(thread, name, errJSONTextDepth)
}

// jsonIndent is Starlark's json.indent, refusing text whose indented
// form would not fit the memory limit: each value gets a line of its own,
// indented once per level.
func jsonIndent(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		if s, ok := args[0].(starlark.String); ok {
			shape := scanJSONShape(string(s), int(^uint(0)>>1))
			prefix, indent := indentArgs(kwargs)
			need := addSat(uint64(len(s))+shape.members, indentCost(shape.lines, shape.indents, prefix, indent))
			if err := checkAlloc(thread, need, b.Name()+"()"); err != nil {
				return nil, err
			}
		}
	}
	return starlarkIndent.CallInternal(thread, args, kwargs)
}

// indentArgs are the prefix and indent keyword arguments, with Starlark's
// defaults.
func indentArgs(kwargs []starlark.Tuple) (prefix, indent string) {
	indent = "\t"
	for _, kv := range kwargs {
		k, _ := kv[0].(starlark.String)
		v, _ := kv[1].(starlark.String)
		switch k {
		case "prefix":
			prefix = string(v)
		case "indent":
			indent = string(v)
		}
	}
	return prefix, indent
}

// indentCost is what indenting adds: a newline and the prefix per line,
// and the indent once per level of each.
func indentCost(lines, levels uint64, prefix, indent string) uint64 {
	return addSat(mulSat(lines, uint64(len(prefix))+1), mulSat(levels, uint64(len(indent))))
}

// checkLoads refuses json.loads of text whose values would not fit the
// memory limit; its decoder also holds the text as runes, four bytes per
// character.
func checkLoads(thread *starlark.Thread, name, text string) error {
	shape := scanJSONShape(text, int(^uint(0)>>1))
	return checkAlloc(thread, addSat(shape.decodedSize(len(text)), 4*uint64(len(text))), name+"()")
}
