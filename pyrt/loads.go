package pyrt

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
)

// maxIntDigits is CPython 3.11's default limit on converting a decimal
// string to an int.
const maxIntDigits = 4300

// maxDecodeDepth stands in for Python's recursion limit when decoding
// nested arrays and objects.
const maxDecodeDepth = 1000

// JSONDecodeError is the error json.loads fails with on CPython: its
// JSONDecodeError, whose text is the message, then the line, column and
// character position of the problem, counted in characters as Python
// counts them.
type JSONDecodeError struct {
	// Msg is the parser's complaint, "Expecting value" and the like.
	Msg string
	// Pos is the 0-based character index of the problem.
	Pos int
	// Line and Col are 1-based, as Python reports them.
	Line, Col int
}

// Error returns the text str(err) gives in CPython 3.11.
func (e *JSONDecodeError) Error() string {
	return fmt.Sprintf("%s: line %d column %d (char %d)", e.Msg, e.Line, e.Col, e.Pos)
}

// ErrMicroPythonJSON is MicroPython's only json.loads error.
var ErrMicroPythonJSON = errors.New("syntax error in JSON")

// LoadJSON decodes s as json.loads(s) does on the runtime. It parses as
// CPython 3.11 does, with its error messages: it accepts NaN, Infinity and
// -Infinity, keeps big integers exact, lets a repeated key keep its first
// position with the last value, and counts error positions in characters.
// On MicroPython every error is ErrMicroPythonJSON, and a \uXXXX escape of
// a UTF-16 surrogate is kept as that one code unit's three UTF-8-style
// bytes instead of being paired into one character. (The real MicroPython
// parser also lets some malformed input through, such as [1 2]; LoadJSON
// does not.)
//
// The value is nil, a bool, an int64 or a *big.Int, a float64, a string,
// a []any or a JSONObject in document order: values DumpJSON writes back
// as Python would.
func (r Runtime) LoadJSON(s string) (any, error) {
	v, err := loads(s, r == MicroPython)
	if err != nil && r == MicroPython {
		return nil, ErrMicroPythonJSON
	}
	return v, err
}

// LoadJSONBytes is json.loads of a bytes value: Python decodes it first,
// and a UTF-8 byte-order mark is allowed there, unlike in a str.
func (r Runtime) LoadJSONBytes(b []byte) (any, error) {
	text := string(b)
	if len(text) >= 3 && text[:3] == "\xef\xbb\xbf" {
		text = text[3:]
	}
	return r.LoadJSON(text)
}

// loads is CPython's json.loads; with rawSurrogates, surrogate escapes are
// kept one by one as MicroPython keeps them.
func loads(s string, rawSurrogates bool) (any, error) {
	d := &pyDecoder{s: []rune(s), rawSurrogates: rawSurrogates}
	if len(d.s) > 0 && d.s[0] == '\ufeff' {
		return nil, d.errorAt("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
	}
	v, end, err := d.value(d.skipSpace(0), 0)
	if err != nil {
		return nil, err
	}
	if end = d.skipSpace(end); end != len(d.s) {
		return nil, d.errorAt("Extra data", end)
	}
	return v, nil
}

// pyDecoder follows CPython's C scanner (Modules/_json.c) step by step, so
// that every error names the same position.
type pyDecoder struct {
	s             []rune
	rawSurrogates bool
}

// errorAt builds the JSONDecodeError for position pos.
func (d *pyDecoder) errorAt(msg string, pos int) error {
	line, col := 1, pos+1
	for i := 0; i < pos && i < len(d.s); i++ {
		if d.s[i] == '\n' {
			line++
			col = pos - i
		}
	}
	return &JSONDecodeError{Msg: msg, Pos: pos, Line: line, Col: col}
}

func (d *pyDecoder) skipSpace(i int) int {
	for i < len(d.s) {
		switch d.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// has reports whether the text at i is lit.
func (d *pyDecoder) has(i int, lit string) bool {
	r := []rune(lit)
	if i+len(r) > len(d.s) {
		return false
	}
	for j, c := range r {
		if d.s[i+j] != c {
			return false
		}
	}
	return true
}

// value is scan_once: it decodes the value at i and returns it with the
// index after it. Where no value starts, the error is "Expecting value" at
// i, the position CPython's StopIteration carries.
func (d *pyDecoder) value(i, depth int) (any, int, error) {
	if i >= len(d.s) {
		return nil, i, d.errorAt("Expecting value", i)
	}
	switch c := d.s[i]; {
	case c == '"':
		s, end, err := d.str(i + 1)
		return s, end, err
	case c == '{' || c == '[':
		if depth >= maxDecodeDepth {
			kind := "array"
			if c == '{' {
				kind = "object"
			}
			return nil, i, fmt.Errorf("maximum recursion depth exceeded while decoding a JSON %s from a unicode string", kind)
		}
		if c == '{' {
			return d.object(i+1, depth+1)
		}
		return d.array(i+1, depth+1)
	case d.has(i, "null"):
		return nil, i + 4, nil
	case d.has(i, "true"):
		return true, i + 4, nil
	case d.has(i, "false"):
		return false, i + 5, nil
	case d.has(i, "NaN"):
		return math.NaN(), i + 3, nil
	case d.has(i, "Infinity"):
		return math.Inf(1), i + 8, nil
	case d.has(i, "-Infinity"):
		return math.Inf(-1), i + 9, nil
	}
	return d.number(i)
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// number is _match_number_unicode: JSON's number grammar, backing off a
// dangling fraction or exponent so that the rest is "Extra data".
func (d *pyDecoder) number(start int) (any, int, error) {
	i, n := start, len(d.s)
	if d.s[i] == '-' {
		i++
		if i >= n {
			return nil, start, d.errorAt("Expecting value", start)
		}
	}
	switch {
	case d.s[i] >= '1' && d.s[i] <= '9':
		for i++; i < n && isDigit(d.s[i]); i++ {
		}
	case d.s[i] == '0':
		i++
	default:
		return nil, start, d.errorAt("Expecting value", start)
	}
	isFloat := false
	if i+1 < n && d.s[i] == '.' && isDigit(d.s[i+1]) {
		isFloat = true
		for i += 2; i < n && isDigit(d.s[i]); i++ {
		}
	}
	if i+1 < n && (d.s[i] == 'e' || d.s[i] == 'E') {
		eStart := i
		i++
		if i+1 < n && (d.s[i] == '-' || d.s[i] == '+') {
			i++
		}
		for ; i < n && isDigit(d.s[i]); i++ {
		}
		if isDigit(d.s[i-1]) {
			isFloat = true
		} else {
			i = eStart
		}
	}
	text := string(d.s[start:i])
	if isFloat {
		// Out of range is ±inf in Python too; strconv reports it as an
		// error but returns the same value.
		f, _ := strconv.ParseFloat(text, 64)
		return f, i, nil
	}
	if digits := len(strings.TrimPrefix(text, "-")); digits > maxIntDigits {
		return nil, i, fmt.Errorf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", maxIntDigits, digits)
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, i, nil
	}
	b, _ := new(big.Int).SetString(text, 10)
	return b, i, nil
}

// str is scanstring_unicode: the string whose opening quote is at
// start-1, and the index after its closing quote.
func (d *pyDecoder) str(start int) (string, int, error) {
	begin := start - 1
	var b strings.Builder
	n := len(d.s)
	for end := start; ; {
		next := end
		var c rune
		for ; next < n; next++ {
			c = d.s[next]
			if c == '"' || c == '\\' {
				break
			}
			if c <= 0x1f {
				return "", next, d.errorAt("Invalid control character at", next)
			}
		}
		if next >= n {
			return "", next, d.errorAt("Unterminated string starting at", begin)
		}
		b.WriteString(string(d.s[end:next]))
		next++
		if c == '"' {
			return b.String(), next, nil
		}
		if next == n {
			return "", next, d.errorAt("Unterminated string starting at", begin)
		}
		c = d.s[next]
		if c != 'u' {
			end = next + 1
			r, ok := map[rune]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c]
			if !ok {
				return "", end, d.errorAt("Invalid \\escape", end-2)
			}
			b.WriteRune(r)
			continue
		}
		next++
		end = next + 4
		if end >= n {
			return "", end, d.errorAt("Invalid \\uXXXX escape", next-1)
		}
		r, ok := d.hex4(next)
		if !ok {
			return "", end, d.errorAt("Invalid \\uXXXX escape", end-5)
		}
		if utf16.IsSurrogate(r) && d.rawSurrogates {
			// Quirk: MicroPython encodes each surrogate on its own.
			b.Write([]byte{byte(0xe0 | r>>12), byte(0x80 | (r>>6)&0x3f), byte(0x80 | r&0x3f)})
			continue
		}
		if utf16.IsSurrogate(r) && r < 0xdc00 && end+6 < n && d.s[end] == '\\' && d.s[end+1] == 'u' {
			r2, ok := d.hex4(end + 2)
			if !ok {
				return "", end + 6, d.errorAt("Invalid \\uXXXX escape", end+1)
			}
			if r2 >= 0xdc00 && r2 <= 0xdfff {
				r = utf16.DecodeRune(r, r2)
				end += 6
			}
		}
		// A lone surrogate cannot be held in a Go string; it becomes
		// U+FFFD where Python would keep it.
		b.WriteRune(r)
	}
}

// hex4 reads four hex digits at i.
func (d *pyDecoder) hex4(i int) (rune, bool) {
	var r rune
	for _, c := range d.s[i : i+4] {
		v, err := strconv.ParseUint(string(c), 16, 8)
		if err != nil {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// object is _parse_object_unicode, from just after the '{'.
func (d *pyDecoder) object(i, depth int) (any, int, error) {
	obj := JSONObject{}
	var index map[string]int // where each key is in obj, to find repeats
	i = d.skipSpace(i)
	if i < len(d.s) && d.s[i] == '}' {
		return obj, i + 1, nil
	}
	for {
		if i >= len(d.s) || d.s[i] != '"' {
			return nil, i, d.errorAt("Expecting property name enclosed in double quotes", i)
		}
		key, end, err := d.str(i + 1)
		if err != nil {
			return nil, end, err
		}
		i = d.skipSpace(end)
		if i >= len(d.s) || d.s[i] != ':' {
			return nil, i, d.errorAt("Expecting ':' delimiter", i)
		}
		val, end, err := d.value(d.skipSpace(i+1), depth)
		if err != nil {
			return nil, end, err
		}
		// A repeated key keeps its first place and takes the last value,
		// as assigning to a Python dict does.
		if index == nil {
			index = map[string]int{}
		}
		if at, seen := index[key]; seen {
			obj[at].Value = val
		} else {
			index[key] = len(obj)
			obj = append(obj, JSONMember{Key: key, Value: val})
		}
		i = d.skipSpace(end)
		if i < len(d.s) && d.s[i] == '}' {
			return obj, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, i, d.errorAt("Expecting ',' delimiter", i)
		}
		i = d.skipSpace(i + 1)
	}
}

// array is _parse_array_unicode, from just after the '['.
func (d *pyDecoder) array(i, depth int) (any, int, error) {
	items := []any{}
	i = d.skipSpace(i)
	if i < len(d.s) && d.s[i] == ']' {
		return items, i + 1, nil
	}
	for {
		val, end, err := d.value(i, depth)
		if err != nil {
			return nil, end, err
		}
		items = append(items, val)
		i = d.skipSpace(end)
		if i < len(d.s) && d.s[i] == ']' {
			return items, i + 1, nil
		}
		if i >= len(d.s) || d.s[i] != ',' {
			return nil, i, d.errorAt("Expecting ',' delimiter", i)
		}
		i = d.skipSpace(i + 1)
	}
}
