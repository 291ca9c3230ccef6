package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
)

// valueSize is what one element costs in a list or tuple: an interface
// value. Small ints and one-byte strings are not allocated separately.
const valueSize = 16

// Rough per-element costs of what the other builtins build: a hash-table
// entry for set and dict, a pair tuple and its slot for enumerate.
const (
	hashEntrySize = 64
	pairSize      = 3 * valueSize
)

// allocChecks estimate, from a builtin's arguments, what it will allocate
// in one go, without a step in between for the memory watchdog to stop it.
// A missing length (-1) estimates nothing: such an argument is iterated
// as it is, and already takes memory.
var allocChecks = map[string]func(args starlark.Tuple, kwargs []starlark.Tuple) uint64{
	"list":      perElement(valueSize),
	"tuple":     perElement(valueSize),
	"sorted":    perElement(valueSize),
	"reversed":  perElement(valueSize),
	"set":       perElement(hashEntrySize),
	"enumerate": perElement(pairSize),
	"dict": func(args starlark.Tuple, kwargs []starlark.Tuple) uint64 {
		return perElement(hashEntrySize)(args, kwargs) + uint64(len(kwargs))*hashEntrySize
	},
	"zip": zipSize,
}

// perElement estimates size bytes for each element of the first argument.
func perElement(size uint64) func(starlark.Tuple, []starlark.Tuple) uint64 {
	return func(args starlark.Tuple, _ []starlark.Tuple) uint64 {
		if len(args) == 0 {
			return 0
		}
		return mulSat(knownLen(args[0]), size)
	}
}

// zipSize estimates zip's list of tuples: as many as the shortest
// argument has elements, each as wide as there are arguments.
func zipSize(args starlark.Tuple, _ []starlark.Tuple) uint64 {
	rows := uint64(0)
	for i, a := range args {
		if n := knownLen(a); i == 0 || n < rows {
			rows = n
		}
	}
	return mulSat(rows, valueSize*uint64(len(args)+1))
}

// knownLen is the length of v, or 0 when it has none.
func knownLen(v starlark.Value) uint64 {
	return uint64(max(starlark.Len(v), 0))
}

// mulSat is a*b, or the largest uint64 if that overflows.
func mulSat(a, b uint64) uint64 {
	if b != 0 && a > ^uint64(0)/b {
		return ^uint64(0)
	}
	return a * b
}

// guardedUniverse shadows each of Starlark's builtin functions with one
// that recovers its panics and, for those in allocChecks and range,
// refuses with a MemoryError what would not fit the memory limit.
func guardedUniverse() starlark.StringDict {
	d := starlark.StringDict{}
	for name, v := range starlark.Universe {
		if b, ok := v.(*starlark.Builtin); ok {
			d[name] = guardBuiltin(b, allocChecks[name])
		}
	}
	d["range"] = starlark.NewBuiltin("range", guardedRange)
	d["getattr"] = starlark.NewBuiltin("getattr", guardedGetattr)
	for name, asStr := range map[string]bool{"str": true, "repr": false, "print": true} {
		d[name] = guardText(d[name].(*starlark.Builtin), asStr)
	}
	return d
}

// guardText wraps orig, which writes its arguments as text (str(),
// repr(), print()), refusing text that would not fit the memory limit or
// that nests too deep to write in one step.
func guardText(orig *starlark.Builtin, asStr bool) *starlark.Builtin {
	return starlark.NewBuiltin(orig.Name(), func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := checkText(thread, b.Name()+"()", asStr, args...); err != nil {
			return nil, err
		}
		return orig.CallInternal(thread, args, kwargs)
	})
}

// guardBuiltin wraps orig; need, if set, estimates its allocation.
func guardBuiltin(orig *starlark.Builtin, need func(starlark.Tuple, []starlark.Tuple) uint64) *starlark.Builtin {
	return starlark.NewBuiltin(orig.Name(), func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (_ starlark.Value, err error) {
		if need != nil {
			if err := checkAlloc(thread, need(args, kwargs), b.Name()+"()"); err != nil {
				return nil, err
			}
		}
		defer recoverBuiltin(thread, b.Name(), &err)
		return orig.CallInternal(thread, args, kwargs)
	})
}

// universeRange is Starlark's own range.
var universeRange = starlark.Universe["range"].(*starlark.Builtin)

// guardedRange is range(), refusing a range whose elements would not fit
// the memory limit as a list. The range itself is lazy, but list(),
// `l += r` and l.extend(r) turn it into one in a single step; a for loop
// over one that long would run out of steps first anyway.
func guardedRange(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (_ starlark.Value, err error) {
	defer recoverBuiltin(thread, b.Name(), &err)
	r, err := universeRange.CallInternal(thread, args, kwargs)
	if err != nil {
		return nil, err
	}
	n := knownLen(r)
	if err := checkAlloc(thread, mulSat(n, valueSize), fmt.Sprintf("a list of the %d numbers of %s", n, r)); err != nil {
		return nil, err
	}
	return r, nil
}
