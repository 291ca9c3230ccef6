package emulator

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// maxTextDepth stands in for Python's recursion limit when a value is
// written as text: repr() of a list nested deeper fails in Python.
// Starlark's writers recurse without a limit and take time quadratic in
// the depth (16 s for 200,000 levels), all in one step, which neither the
// step limit nor the time limit can interrupt.
const maxTextDepth = 1000

// errTextDepth is the error for a value nested deeper than maxTextDepth.
const errTextDepth = "maximum recursion depth exceeded while getting the repr of an object"

// floatTextLen bounds the text of a float: repr, or %f of 1e308.
const floatTextLen = 330

// textWalker estimates, without writing it, how long the text of a value
// is: its repr() as Starlark writes it, or its json.encode. It walks the
// value as the writers do, so a list shared a thousand times counts a
// thousand times, and it stops as soon as the estimate passes budget, so
// its own work is bounded by the budget even where the text would be
// enormous.
type textWalker struct {
	json   bool
	budget uint64
	// size is the estimate so far; past budget the walk stops.
	size uint64
	// depth is the current nesting; tooDeep is set past maxTextDepth.
	depth   int
	tooDeep bool
	// lines counts the elements and members, and indents their depths
	// summed: what indenting the text would add per level.
	lines, indents uint64
	// path holds the lists and dicts being written, which the writers
	// check for cycles; onPath indexes it once it is long.
	path   []starlark.Value
	onPath map[starlark.Value]bool
}

// over reports whether the walk has stopped.
func (w *textWalker) over() bool { return w.size > w.budget || w.tooDeep }

func (w *textWalker) add(n uint64) { w.size = addSat(w.size, n) }

// walkStr walks v as str(v) writes it: a string as it is, anything else
// as its repr.
func (w *textWalker) walkStr(v starlark.Value) {
	if s, ok := v.(starlark.String); ok {
		w.add(uint64(len(s)))
		return
	}
	w.walk(v)
}

func (w *textWalker) walk(v starlark.Value) {
	if w.over() {
		return
	}
	switch x := v.(type) {
	case starlark.NoneType, starlark.Bool:
		w.add(5)
	case starlark.Int:
		w.add(intTextLen(x))
	case starlark.Float:
		w.add(floatTextLen)
	case starlark.String:
		w.add(quotedLen(string(x), w.json))
	case starlark.Bytes:
		w.add(4*uint64(len(x)) + 3)
	case *starlark.List:
		w.container(x, func() {
			for i := 0; i < x.Len() && !w.over(); i++ {
				w.element(x.Index(i))
			}
		})
	case starlark.Tuple:
		w.container(nil, func() {
			for _, e := range x {
				if w.over() {
					return
				}
				w.element(e)
			}
		})
	case *starlark.Set:
		w.container(nil, func() {
			iter := x.Iterate()
			defer iter.Done()
			var e starlark.Value
			for !w.over() && iter.Next(&e) {
				w.element(e)
			}
		})
	case *stateDict:
		// Its String starts the writer afresh, without the path of
		// what holds it: a state holding itself recurses without end.
		saved, savedIndex := w.path, w.onPath
		w.path, w.onPath = nil, nil
		w.walk(x.d)
		w.path, w.onPath = saved, savedIndex
	case starlark.IterableMapping:
		var self starlark.Value
		if d, ok := x.(*starlark.Dict); ok {
			self = d // comparable, and able to hold itself
		}
		w.container(self, func() {
			for _, kv := range x.Items() {
				if w.over() {
					return
				}
				w.walk(kv[0])
				w.element(kv[1])
			}
		})
	default:
		w.add(uint64(len(v.String())))
	}
}

// element walks one element or member value, with its separator.
func (w *textWalker) element(v starlark.Value) {
	w.add(2)
	w.lines++
	w.indents += uint64(w.depth)
	w.walk(v)
}

// container walks the elements of a list, tuple, set or mapping one level
// deeper. A list or dict (self) already being written is written as
// "[...]" in a repr and fails in JSON; either way it adds little.
func (w *textWalker) container(self starlark.Value, elements func()) {
	w.add(6) // brackets, "set(" and the like
	if self != nil {
		if w.has(self) {
			return
		}
		w.push(self)
		defer w.pop()
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxTextDepth {
		w.tooDeep = true
		return
	}
	w.lines++
	elements()
}

// pathIndexFrom is the path length past which a map indexes it.
const pathIndexFrom = 32

func (w *textWalker) has(v starlark.Value) bool {
	if w.onPath != nil {
		return w.onPath[v]
	}
	for _, p := range w.path {
		if p == v {
			return true
		}
	}
	return false
}

func (w *textWalker) push(v starlark.Value) {
	w.path = append(w.path, v)
	switch {
	case w.onPath != nil:
		w.onPath[v] = true
	case len(w.path) > pathIndexFrom:
		w.onPath = make(map[starlark.Value]bool, 2*len(w.path))
		for _, p := range w.path {
			w.onPath[p] = true
		}
	}
}

func (w *textWalker) pop() {
	v := w.path[len(w.path)-1]
	w.path = w.path[:len(w.path)-1]
	if w.onPath != nil {
		delete(w.onPath, v)
	}
}

// intTextLen bounds the decimal digits of x, with its sign.
func intTextLen(x starlark.Int) uint64 {
	if i, ok := x.Int64(); ok {
		return uint64(len(strconv.FormatInt(i, 10)))
	}
	return uint64(x.BigInt().BitLen())*30103/100000 + 2
}

// quotedLen bounds the length of s quoted: as Starlark's repr quotes it
// (escapes for quotes, backslashes and control bytes, \xNN for bytes that
// are not UTF-8, \u or \U for runes that are not printable), or, for json,
// as json.encode does (control bytes, <, > and & as \u00XX, bytes that are
// not UTF-8 as \ufffd).
func quotedLen(s string, json bool) uint64 {
	n := uint64(2)
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		n += escapedLen(r, size, json)
		i += size
	}
	return n
}

// escapedLen bounds the length of one rune of a quoted string.
func escapedLen(r rune, size int, json bool) uint64 {
	switch {
	case r == '"' || r == '\\':
		return 2
	case json && (r < 0x20 || r == 0x7f || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029' || r == utf8.RuneError && size == 1):
		return 6
	case json:
		return uint64(size)
	case r < 0x20 || r == 0x7f || r == utf8.RuneError && size == 1:
		return 4
	case r < utf8.RuneSelf || unicode.IsPrint(r):
		return uint64(size)
	}
	return 10
}

// newTextWalker returns a walker with the thread's memory limit as budget.
func newTextWalker(thread *starlark.Thread, json bool) *textWalker {
	return &textWalker{json: json, budget: threadMemoryLimit(thread)}
}

// refusal is the error for text the walk found too deep or too large for
// what (a builtin's name, say), or nil.
func (w *textWalker) refusal(thread *starlark.Thread, what, tooDeep string) error {
	switch {
	case w.tooDeep:
		return fmt.Errorf("%s: %s", what, tooDeep)
	case w.size > w.budget:
		return outOfMemory(thread, "%s needs more than the memory limit of %s", what, formatBytes(w.budget))
	}
	return nil
}

// checkText refuses, before it is written, the text of values (as str()
// writes them when asStr, as repr() otherwise) when it would not fit the
// memory limit or nests deeper than maxTextDepth.
func checkText(thread *starlark.Thread, what string, asStr bool, values ...starlark.Value) error {
	w := newTextWalker(thread, false)
	for _, v := range values {
		if asStr {
			w.walkStr(v)
		} else {
			w.walk(v)
		}
	}
	return w.refusal(thread, what, errTextDepth)
}
