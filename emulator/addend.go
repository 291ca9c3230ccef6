package emulator

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// `a[i] += y`, `d[k] += y` and `x.f += y` evaluate their target once and
// leave its value on Starlark's stack, out of the rewrite's reach, so the
// rewrite (operators.go) wraps y instead: `a[i] += $addend_guard(y)`.
// Starlark's += extends a list in place only when y is iterable, which
// the wrapper is not, so for everything it asks the wrapper's Binary for
// x + y; Binary checks the size first and then does what += would have
// done with y: extend a list in place (other references to it see it
// grow), or give Starlark's own x + y, with Starlark's own errors.

// addendGuard is the builtin $addend_guard(y).
var addendGuard = starlark.NewBuiltin(addendGuardName, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, fmt.Errorf("%s: want one operand", b.Name())
	}
	return &addend{guardedOperand{v: args[0], thread: thread}}, nil
})

// addend is the y of an element's or attribute's `+= y` on its way to the
// +=. Like the guardedOperand it is, it lives only between two
// instructions and reads as the value it wraps; only its Binary differs.
type addend struct{ guardedOperand }

var _ starlark.HasBinary = (*addend)(nil)

// Binary does x += a.v, refusing a result larger than the memory limit
// before it is allocated.
func (a *addend) Binary(op syntax.Token, x starlark.Value, side starlark.Side) (starlark.Value, error) {
	if op != syntax.PLUS || side != starlark.Right {
		// Only += hands an addend over; anything else gets the result
		// of the value it wraps.
		if side == starlark.Left {
			return starlark.Binary(op, a.v, x)
		}
		return starlark.Binary(op, x, a.v)
	}
	if list, ok := x.(*starlark.List); ok && isIterable(a.v) {
		return a.extend(list)
	}
	if err := checkConcat(a.thread, x, a.v); err != nil {
		return nil, err
	}
	return starlark.Binary(op, x, a.v)
}

// extend does list += a.v in place with the list's own extend: first with
// nothing, so that a frozen list or one being iterated fails as += fails
// there, before any size is measured; then, if the result fits, with a.v.
func (a *addend) extend(list *starlark.List) (starlark.Value, error) {
	method, err := list.Attr("extend")
	if err != nil {
		return nil, err
	}
	extend := method.(*starlark.Builtin)
	if _, err := extend.CallInternal(a.thread, starlark.Tuple{starlark.Tuple{}}, nil); err != nil {
		return nil, inPlaceError(err)
	}
	if err := checkConcat(a.thread, list, a.v); err != nil {
		return nil, err
	}
	if _, err := extend.CallInternal(a.thread, starlark.Tuple{a.v}, nil); err != nil {
		return nil, inPlaceError(err)
	}
	return list, nil
}

// inPlaceError words an error of extend as += words it: "extend: cannot
// extend frozen list" is "cannot apply += to frozen list".
func inPlaceError(err error) error {
	if rest, ok := strings.CutPrefix(err.Error(), "extend: cannot extend "); ok {
		return fmt.Errorf("cannot apply += to %s", rest)
	}
	return err
}

// isIterable reports whether a list can be extended by v.
func isIterable(v starlark.Value) bool {
	_, ok := v.(starlark.Iterable)
	return ok
}
