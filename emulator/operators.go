package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Starlark's `*` repeats a string up to 1 GiB and a list up to 2^30
// elements (16 GiB) in one step, `+` joins two values near the limit into
// one twice as large, and `%` can repeat an argument once per conversion;
// none has a hook an embedder could use. So the emulator rewrites the
// script before compiling it: the right operand of every `*` and `+` (and
// of `*=`), and the format string of every `%` (which formats at once
// whatever its right operand is), goes through a predeclared builtin that
// wraps it, and the wrapper, as a Starlark value with its own Binary method, is
// asked to do any operation Starlark's own types cannot, which is all of
// them. It checks the size of the result and hands everything to
// starlark.Binary, so results, error messages and their positions stay
// Starlark's; an operation costs a builtin call more. `x += y` extends a
// list in place, which a wrapped operand would not, so `name += y`
// becomes `name += $add_check(name, y)`, which checks the size and
// returns y. An element or attribute (`a[i] += y`, `x.f += y`) cannot be
// named twice without evaluating its target twice, so there y goes
// through $addend_guard, whose wrapper does the += itself (addend.go).

// operandGuardName, addCheckName and addendGuardName are the builtins the
// rewritten operands go through; the "$" keeps them out of reach of any
// name a script can write.
const (
	operandGuardName = "$operand_guard"
	addCheckName     = "$add_check"
	addendGuardName  = "$addend_guard"
)

// guardOperators rewrites f so that every x * y and x + y becomes
// x op $operand_guard(y), every x % y becomes $operand_guard(x) % y, every
// x *= y and name %= y likewise, every name += y becomes
// name += $add_check(name, y), and any other x += y becomes
// x += $addend_guard(y). A `+` or `%` with a
// number literal on either side is left alone: it is arithmetic, and
// loop counters stay cheap.
func guardOperators(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryExpr:
			switch {
			case n.Op == syntax.STAR:
				n.Y = guardCall(operandGuardName, n.Y)
			case n.Op == syntax.PLUS && !isNumber(n.X) && !isNumber(n.Y):
				n.Y = guardCall(operandGuardName, n.Y)
			case n.Op == syntax.PERCENT && !isNumber(n.X) && !isNumber(n.Y):
				// String % anything formats at once, so the format
				// string is the operand wrapped.
				n.X = guardCall(operandGuardName, n.X)
			}
		case *syntax.AssignStmt:
			switch {
			case n.Op == syntax.STAR_EQ:
				n.RHS = guardCall(operandGuardName, n.RHS)
			case n.Op == syntax.PERCENT_EQ && !isNumber(n.RHS):
				if id, ok := n.LHS.(*syntax.Ident); ok {
					// name %= y is name = name % y; the same, guarded.
					n.Op = syntax.EQ
					n.RHS = &syntax.BinaryExpr{X: guardCall(operandGuardName, &syntax.Ident{NamePos: id.NamePos, Name: id.Name}),
						OpPos: n.OpPos, Op: syntax.PERCENT, Y: n.RHS}
				}
			case n.Op == syntax.PLUS_EQ && !isNumber(n.RHS):
				if id, ok := n.LHS.(*syntax.Ident); ok {
					n.RHS = guardCall(addCheckName, &syntax.Ident{NamePos: id.NamePos, Name: id.Name}, n.RHS)
				} else {
					n.RHS = guardCall(addendGuardName, n.RHS)
				}
			}
		}
		return true
	})
}

// isNumber reports whether e is an int or float literal.
func isNumber(e syntax.Expr) bool {
	lit, ok := e.(*syntax.Literal)
	return ok && (lit.Token == syntax.INT || lit.Token == syntax.FLOAT)
}

func guardCall(name string, args ...syntax.Expr) syntax.Expr {
	pos := syntax.Start(args[len(args)-1])
	return &syntax.CallExpr{
		Fn:     &syntax.Ident{NamePos: pos, Name: name},
		Lparen: pos,
		Args:   args,
		Rparen: pos,
	}
}

// operandGuard is the builtin $operand_guard(y).
var operandGuard = starlark.NewBuiltin(operandGuardName, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, fmt.Errorf("%s: want one operand", b.Name())
	}
	return &guardedOperand{v: args[0], thread: thread}, nil
})

// addCheck is the builtin $add_check(x, y): it refuses x += y when the
// result would not fit the memory limit, and returns y for the += to use.
var addCheck = starlark.NewBuiltin(addCheckName, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 2 || len(kwargs) != 0 {
		return nil, fmt.Errorf("%s: want two operands", b.Name())
	}
	if err := checkConcat(thread, args[0], args[1]); err != nil {
		return nil, err
	}
	return args[1], nil
})

// guardedOperand is an operator's right operand on its way to the
// operation. It lives only between the two instructions; if it ever were
// seen, it reads as the value it wraps.
type guardedOperand struct {
	v      starlark.Value
	thread *starlark.Thread
}

var _ starlark.HasBinary = (*guardedOperand)(nil)

func (r *guardedOperand) String() string        { return r.v.String() }
func (r *guardedOperand) Type() string          { return r.v.Type() }
func (r *guardedOperand) Freeze()               { r.v.Freeze() }
func (r *guardedOperand) Truth() starlark.Bool  { return r.v.Truth() }
func (r *guardedOperand) Hash() (uint32, error) { return r.v.Hash() }

// Binary does x op r.v, or r.v op x where r is the left operand (of a %),
// refusing a result larger than the memory limit before it is allocated.
func (r *guardedOperand) Binary(op syntax.Token, x starlark.Value, side starlark.Side) (starlark.Value, error) {
	l, rv := x, r.v
	if side == starlark.Left {
		l, rv = r.v, x
	}
	var err error
	switch op {
	case syntax.STAR:
		err = checkRepeat(r.thread, l, rv)
	case syntax.PLUS:
		err = checkConcat(r.thread, l, rv)
	case syntax.PERCENT:
		if format, ok := l.(starlark.String); ok {
			err = checkPercent(r.thread, string(format), rv)
		}
	}
	if err != nil {
		return nil, err
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
	size, ok := sequenceSize(seq)
	if !ok {
		return nil
	}
	return checkAlloc(thread, mulSat(size, times), fmt.Sprintf("%s * %d", pyTypeName(seq), times))
}

// checkConcat refuses x + y (or x += y) if the result would not fit the
// memory limit.
func checkConcat(thread *starlark.Thread, x, y starlark.Value) error {
	need, ok := concatSize(x, y)
	if !ok {
		return nil
	}
	return checkAlloc(thread, need, fmt.Sprintf("%s + %s", pyTypeName(x), pyTypeName(y)))
}

// concatSize is the bytes x + y takes, for a string, bytes, list or tuple
// x, or false when that is not x + y's size to check.
func concatSize(x, y starlark.Value) (uint64, bool) {
	xs, ok := sequenceSize(x)
	if !ok {
		return 0, false
	}
	ys, ok := sequenceSize(y)
	if !ok {
		if _, isList := x.(*starlark.List); !isList || !isIterable(y) {
			return 0, false // no sequence, or an error
		}
		ys = mulSat(knownLen(y), valueSize) // a list extended by any iterable
	}
	return addSat(xs, ys), true
}

// sequenceSize is the bytes a string, bytes, list or tuple takes.
func sequenceSize(v starlark.Value) (uint64, bool) {
	switch s := v.(type) {
	case starlark.String:
		return uint64(len(s)), true
	case starlark.Bytes:
		return uint64(len(s)), true
	case *starlark.List:
		return uint64(s.Len()) * valueSize, true
	case starlark.Tuple:
		return uint64(len(s)) * valueSize, true
	}
	return 0, false
}
