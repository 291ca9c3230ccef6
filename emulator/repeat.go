package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Starlark's `*` repeats a string up to 1 GiB and a list up to 2^30
// elements (16 GiB) in one step, and has no hook an embedder could use.
// So the emulator rewrites the script before compiling it: the right
// operand of every `*` and `*=` goes through a predeclared builtin that
// wraps it, and the wrapper, as a Starlark value with its own Binary
// method, is asked to do any multiplication Starlark's own types cannot,
// which is all of them. It checks the size of a repetition and hands
// everything to starlark.Binary, so results, error messages and their
// positions stay Starlark's; a `*` costs a builtin call more.

// repeatGuardName is the builtin the rewritten operands go through; the
// "$" keeps it out of reach of any name a script can write.
const repeatGuardName = "$repeat_guard"

// guardRepeats rewrites f so that every x * y is x * $repeat_guard(y),
// and every x *= y is x *= $repeat_guard(y).
func guardRepeats(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryExpr:
			if n.Op == syntax.STAR {
				n.Y = guardCall(n.Y)
			}
		case *syntax.AssignStmt:
			if n.Op == syntax.STAR_EQ {
				n.RHS = guardCall(n.RHS)
			}
		}
		return true
	})
}

func guardCall(y syntax.Expr) syntax.Expr {
	pos := syntax.Start(y)
	return &syntax.CallExpr{
		Fn:     &syntax.Ident{NamePos: pos, Name: repeatGuardName},
		Lparen: pos,
		Args:   []syntax.Expr{y},
		Rparen: pos,
	}
}

// repeatGuard is the builtin $repeat_guard(y).
var repeatGuard = starlark.NewBuiltin(repeatGuardName, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, fmt.Errorf("%s: want one operand", b.Name())
	}
	return &repeatOperand{v: args[0], thread: thread}, nil
})

// repeatOperand is a `*`'s right operand on its way to the multiplication.
// It lives only between the two instructions; if it ever were seen, it
// reads as the value it wraps.
type repeatOperand struct {
	v      starlark.Value
	thread *starlark.Thread
}

var _ starlark.HasBinary = (*repeatOperand)(nil)

func (r *repeatOperand) String() string        { return r.v.String() }
func (r *repeatOperand) Type() string          { return r.v.Type() }
func (r *repeatOperand) Freeze()               { r.v.Freeze() }
func (r *repeatOperand) Truth() starlark.Bool  { return r.v.Truth() }
func (r *repeatOperand) Hash() (uint32, error) { return r.v.Hash() }

// Binary does x op r.v (r is always the right operand), refusing a
// repetition larger than the memory limit before it is allocated.
func (r *repeatOperand) Binary(op syntax.Token, x starlark.Value, side starlark.Side) (starlark.Value, error) {
	l, rv := x, r.v
	if side == starlark.Left {
		l, rv = r.v, x
	}
	if op == syntax.STAR {
		if err := checkRepeat(r.thread, l, rv); err != nil {
			return nil, err
		}
	}
	return starlark.Binary(op, l, rv)
}

// checkRepeat refuses x * y if it repeats a sequence into more than the
// memory limit.
func checkRepeat(thread *starlark.Thread, x, y starlark.Value) error {
	seq, count := x, y
	if _, ok := x.(starlark.Int); ok {
		seq, count = y, x
	}
	n, ok := count.(starlark.Int)
	if !ok {
		return nil
	}
	times, ok := n.Uint64()
	if !ok {
		return nil // negative (an empty result) or too large (Starlark refuses it)
	}
	var size uint64
	switch s := seq.(type) {
	case starlark.String:
		size = uint64(len(s))
	case starlark.Bytes:
		size = uint64(len(s))
	case *starlark.List:
		size = uint64(s.Len()) * valueSize
	case starlark.Tuple:
		size = uint64(len(s)) * valueSize
	default:
		return nil
	}
	return checkAlloc(thread, mulSat(size, times), fmt.Sprintf("%s * %d", pyTypeName(seq), times))
}
