package pyrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSONMember is one key and value of a JSONObject.
type JSONMember struct {
	// Key is the member's name.
	Key string
	// Value is any value DumpJSON accepts.
	Value any
}

// JSONObject is a JSON object that keeps its members in order, as a Python
// dict keeps insertion order. Go maps have no order, so DumpJSON writes a
// map's keys sorted; use a JSONObject where order matters.
type JSONObject []JSONMember

// maxJSONDepth bounds nesting near Python's recursion limit, so a slice
// that contains itself fails instead of recursing forever.
const maxJSONDepth = 990

// DumpJSON returns json.dumps(v) as the runtime writes it: separators ", "
// and ": ", floats as Python's repr, and strings escaped the runtime's way.
// It accepts nil, bool, integers, floats, strings, json.Number, *big.Int,
// slices, JSONObject, maps with string keys, and any other value
// encoding/json can marshal (struct fields keep their declared order).
func (r Runtime) DumpJSON(v any) (string, error) {
	var b strings.Builder
	if err := r.dumpValue(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (r Runtime) dumpValue(b *strings.Builder, v any, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("maximum recursion depth exceeded while encoding a JSON object (or a circular reference)")
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		r.dumpString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		fmt.Fprint(b, x)
	case *big.Int:
		b.WriteString(x.String())
	case json.Number:
		// Python's json.loads makes "1.50" and "1e3" floats, "15" an int.
		if strings.ContainsAny(x.String(), ".eE") {
			f, err := x.Float64()
			if err != nil {
				return fmt.Errorf("bad JSON number %q: %w", x.String(), err)
			}
			b.WriteString(r.floatRepr(f, 64))
		} else {
			b.WriteString(x.String())
		}
	case float64:
		b.WriteString(r.floatRepr(x, 64))
	case float32:
		b.WriteString(r.floatRepr(float64(x), 32))
	case JSONObject:
		return r.dumpObject(b, x, depth)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := r.dumpValue(b, e, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := make(JSONObject, len(keys))
		for i, k := range keys {
			obj[i] = JSONMember{k, x[k]}
		}
		return r.dumpObject(b, obj, depth)
	default:
		return r.dumpReflected(b, v, depth)
	}
	return nil
}

func (r Runtime) dumpObject(b *strings.Builder, obj JSONObject, depth int) error {
	b.WriteByte('{')
	for i, m := range obj {
		if i > 0 {
			b.WriteString(", ")
		}
		r.dumpString(b, m.Key)
		b.WriteString(": ")
		if err := r.dumpValue(b, m.Value, depth+1); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// dumpReflected handles other slices directly and everything else through
// encoding/json, re-read in order so struct fields keep their sequence.
func (r Runtime) dumpReflected(b *strings.Builder, v any, depth int) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			b.WriteString("null")
			return nil
		}
		items := make([]any, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
		return r.dumpValue(b, items, depth)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("Object of type %T is not JSON serializable: %w", v, err)
	}
	ordered, err := decodeOrderedJSON(raw)
	if err != nil {
		return err
	}
	return r.dumpValue(b, ordered, depth)
}

// decodeOrderedJSON parses JSON into nil, bool, json.Number, string, []any
// and JSONObject values, keeping object members in document order.
func decodeOrderedJSON(data []byte) (any, error) {
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v) // for encoding/json's clear syntax message
		if err == nil {
			err = fmt.Errorf("invalid JSON")
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("extra data after JSON value")
	}
	return v, nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			items := []any{}
			for dec.More() {
				item, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				items = append(items, item)
			}
			_, err := dec.Token()
			return items, err
		}
		obj := JSONObject{}
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			val, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, JSONMember{Key: keyTok.(string), Value: val})
		}
		_, err := dec.Token()
		return obj, err
	default:
		return t, nil
	}
}

// dumpString writes s as a JSON string. CPython's default ensure_ascii
// escapes everything past ASCII as \uXXXX (surrogate pairs above U+FFFF);
// MicroPython writes those bytes raw.
func (r Runtime) dumpString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(c))
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case (c == '\b' || c == '\f') && r == CPython:
			b.WriteByte('\\')
			b.WriteByte(map[rune]byte{'\b': 'b', '\f': 'f'}[c])
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
		case c < 0x80 || r == MicroPython:
			b.WriteString(s[i : i+size])
		case c == utf8.RuneError && size == 1:
			// A Python str cannot hold invalid UTF-8; write the stray byte
			// as its Latin-1 code point so nothing is silently lost.
			fmt.Fprintf(b, `\u%04x`, s[i])
		case c > 0xffff:
			c -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
		default:
			fmt.Fprintf(b, `\u%04x`, c)
		}
		i += size
	}
	b.WriteByte('"')
}

// DumpedStringLen returns the length of json.dumps(s) on the runtime
// without writing it, so that a caller can refuse text too large to
// build: CPython's \uXXXX escapes make it up to six times longer than s.
func (r Runtime) DumpedStringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n += 2
		case (c == '\b' || c == '\f') && r == CPython:
			n += 2
		case c < 0x20:
			n += 6
		case c < 0x80 || r == MicroPython:
			n += size
		case c > 0xffff:
			n += 12
		default: // the \uXXXX of a character, or of a stray byte
			n += 6
		}
		i += size
	}
	return n
}
