package emulator

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// Some string methods build far more than they are given in one step:
// "".join([s] * 1024), s.replace("", s), "{0}{0}".format(s), and split,
// whose every part costs a list slot and a string header. Their calls are
// checked as methods.go describes.

// stringMethodChecks estimate, before the call, what each guarded string
// method will allocate.
var stringMethodChecks = map[string]func(thread *starlark.Thread, s string, args starlark.Tuple, kwargs []starlark.Tuple) error{
	"join":    checkJoin,
	"replace": checkReplace,
	"format": func(t *starlark.Thread, s string, args starlark.Tuple, kw []starlark.Tuple) error {
		return checkFormat(t, s, args, kw)
	},
	"split":      checkSplit,
	"rsplit":     checkSplit,
	"splitlines": checkSplitLines,
}

// checkJoin refuses sep.join(iterable) past the memory limit.
func checkJoin(thread *starlark.Thread, sep string, args starlark.Tuple, _ []starlark.Tuple) error {
	if len(args) != 1 {
		return nil // Starlark reports the error
	}
	iter := starlark.Iterate(args[0])
	if iter == nil {
		return nil
	}
	defer iter.Done()
	var need uint64
	var e starlark.Value
	for n := 0; iter.Next(&e); n++ {
		if s, ok := e.(starlark.String); ok {
			need = addSat(need, uint64(len(s)))
		}
		if n > 0 {
			need = addSat(need, uint64(len(sep)))
		}
	}
	return checkAlloc(thread, need, "join")
}

// checkReplace refuses s.replace(old, new, count) past the memory limit:
// an empty old inserts new between every two characters.
func checkReplace(thread *starlark.Thread, s string, args starlark.Tuple, _ []starlark.Tuple) error {
	if len(args) < 2 {
		return nil
	}
	old, ok1 := args[0].(starlark.String)
	repl, ok2 := args[1].(starlark.String)
	if !ok1 || !ok2 || len(repl) <= len(old) {
		return nil
	}
	var times uint64
	if old == "" {
		times = uint64(utf8.RuneCountInString(s)) + 1
	} else {
		times = uint64(strings.Count(s, string(old)))
	}
	if len(args) > 2 {
		if count, ok := args[2].(starlark.Int); ok {
			if c, ok := count.Int64(); ok && c >= 0 {
				times = min(times, uint64(c))
			}
		}
	}
	need := addSat(uint64(len(s)), mulSat(times, uint64(len(repl)-len(old))))
	return checkAlloc(thread, need, "replace")
}

// partSize is what one part of a split costs: a list slot and a string
// header.
const partSize = valueSize + 16

// checkSplit refuses s.split(sep) or s.rsplit(sep) past the memory limit.
func checkSplit(thread *starlark.Thread, s string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	var sep starlark.Value = starlark.None
	if len(args) > 0 {
		sep = args[0]
	}
	for _, kv := range kwargs {
		if k, _ := kv[0].(starlark.String); k == "sep" {
			sep = kv[1]
		}
	}
	var parts uint64
	switch sep := sep.(type) {
	case starlark.String:
		if sep == "" {
			return nil // Starlark refuses an empty separator
		}
		parts = uint64(strings.Count(s, string(sep))) + 1
	default:
		parts = uint64(countFields(s))
	}
	return checkAlloc(thread, mulSat(parts, partSize), "split")
}

// countFields is len(s.split()): the runs of characters between white
// space.
func countFields(s string) int {
	n, inField := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

// checkSplitLines refuses s.splitlines() past the memory limit.
func checkSplitLines(thread *starlark.Thread, s string, _ starlark.Tuple, _ []starlark.Tuple) error {
	parts := uint64(strings.Count(s, "\n")+strings.Count(s, "\r")) + 1
	return checkAlloc(thread, mulSat(parts, partSize), "splitlines")
}
