package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Some methods build far more than they are given in one step: the string
// methods of strmethods.go, and a list's extend, which can double a list
// near the limit. Their calls cannot be hooked, so the rewrite that guards
// the operators (operators.go) also turns every x.join, x.extend (and the
// others named in stringMethodChecks and listMethodChecks) into
// $method_guard(x).join: for a string or a list, the guard returns a
// stand-in whose checked methods estimate the size of their result and
// then call the value's own; for anything else it returns the value
// itself, so Starlark's own attribute lookup and its messages apply.
// getattr() is guarded the same way.

// methodGuardName is the builtin the receivers go through.
const methodGuardName = "$method_guard"

// listMethodChecks estimate, before the call, what each guarded list
// method will allocate.
var listMethodChecks = map[string]func(thread *starlark.Thread, l *starlark.List, args starlark.Tuple, kwargs []starlark.Tuple) error{
	"extend": checkExtend,
}

// checkExtend refuses l.extend(y) when l would grow past the memory limit.
func checkExtend(thread *starlark.Thread, l *starlark.List, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil // Starlark reports the error
	}
	need, ok := concatSize(l, args[0])
	if !ok {
		return nil
	}
	return checkAlloc(thread, need, "extend")
}

// isCheckedMethod reports whether some receiver has a method name that
// is checked.
func isCheckedMethod(name string) bool {
	return stringMethodChecks[name] != nil || listMethodChecks[name] != nil
}

// methodCheck returns the check of recv's method name, or nil.
func methodCheck(recv starlark.Value, name string) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) error {
	switch r := recv.(type) {
	case starlark.String:
		if check := stringMethodChecks[name]; check != nil {
			return func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
				return check(thread, string(r), args, kwargs)
			}
		}
	case *starlark.List:
		if check := listMethodChecks[name]; check != nil {
			return func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
				return check(thread, r, args, kwargs)
			}
		}
	}
	return nil
}

// guardMethods rewrites every x.join (and the other checked methods) in f
// to $method_guard(x).join.
func guardMethods(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if dot, ok := n.(*syntax.DotExpr); ok && isCheckedMethod(dot.Name.Name) {
			dot.X = guardCall(methodGuardName, dot.X)
		}
		return true
	})
}

// methodGuard is the builtin $method_guard(x).
var methodGuard = starlark.NewBuiltin(methodGuardName, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, fmt.Errorf("%s: want one value", b.Name())
	}
	switch x := args[0].(type) {
	case starlark.String:
		return guardedReceiver{x}, nil
	case *starlark.List:
		return guardedReceiver{x}, nil
	}
	return args[0], nil
})

// guardedReceiver stands in for a string or list whose method is about
// to be looked up; it reads as the value itself.
type guardedReceiver struct{ v starlark.HasAttrs }

var _ starlark.HasAttrs = guardedReceiver{}

func (g guardedReceiver) String() string        { return g.v.String() }
func (g guardedReceiver) Type() string          { return g.v.Type() }
func (g guardedReceiver) Freeze()               { g.v.Freeze() }
func (g guardedReceiver) Truth() starlark.Bool  { return g.v.Truth() }
func (g guardedReceiver) Hash() (uint32, error) { return g.v.Hash() }
func (g guardedReceiver) AttrNames() []string   { return g.v.AttrNames() }

func (g guardedReceiver) Attr(name string) (starlark.Value, error) {
	return guardedMethod(g.v, name)
}

// guardedMethod is recv.name, checked when it is one of the checked
// methods.
func guardedMethod(recv starlark.HasAttrs, name string) (starlark.Value, error) {
	method, err := recv.Attr(name)
	check := methodCheck(recv, name)
	if err != nil || check == nil {
		return method, err
	}
	orig := method.(*starlark.Builtin)
	return starlark.NewBuiltin(name, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := check(thread, args, kwargs); err != nil {
			return nil, err
		}
		return orig.CallInternal(thread, args, kwargs)
	}).BindReceiver(recv), nil
}

// universeGetattr is Starlark's own getattr.
var universeGetattr = starlark.Universe["getattr"].(*starlark.Builtin)

// guardedGetattr is getattr(x, name, default), with the checked methods
// checked as x.name is.
func guardedGetattr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) >= 2 && len(kwargs) == 0 {
		recv, isReceiver := args[0].(starlark.HasAttrs)
		name, isName := args[1].(starlark.String)
		if isReceiver && isName && methodCheck(recv, string(name)) != nil {
			return guardedMethod(recv, string(name))
		}
	}
	return universeGetattr.CallInternal(thread, args, kwargs)
}
