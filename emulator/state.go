package emulator

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// stateDict is the script's `state`: a dict that stays mutable after the
// script loads. Starlark freezes a module's globals, and freezing is deep,
// so a plain dict would freeze as soon as a global referred to it; this
// one ignores Freeze and hands every dict method to the dict inside.
//
// Handlers run one at a time, so the dict needs no lock of its own.
type stateDict struct {
	d *starlark.Dict
}

var (
	_ starlark.IterableMapping = (*stateDict)(nil)
	_ starlark.HasSetKey       = (*stateDict)(nil)
	_ starlark.HasAttrs        = (*stateDict)(nil)
	_ starlark.Comparable      = (*stateDict)(nil)
)

func newStateDict() *stateDict { return &stateDict{d: starlark.NewDict(0)} }

func (s *stateDict) String() string        { return s.d.String() }
func (s *stateDict) Type() string          { return "state" }
func (s *stateDict) Freeze()               {} // deliberately stays mutable
func (s *stateDict) Truth() starlark.Bool  { return s.d.Truth() }
func (s *stateDict) Hash() (uint32, error) { return s.d.Hash() }
func (s *stateDict) Len() int              { return s.d.Len() }

func (s *stateDict) Get(k starlark.Value) (starlark.Value, bool, error) { return s.d.Get(k) }
func (s *stateDict) SetKey(k, v starlark.Value) error                   { return s.d.SetKey(k, v) }
func (s *stateDict) Iterate() starlark.Iterator                         { return s.d.Iterate() }
func (s *stateDict) Items() []starlark.Tuple                            { return s.d.Items() }
func (s *stateDict) Attr(name string) (starlark.Value, error)           { return s.d.Attr(name) }
func (s *stateDict) AttrNames() []string                                { return s.d.AttrNames() }

// CompareSameType compares two states as dicts (only == and != are
// defined).
func (s *stateDict) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return s.d.CompareSameType(op, y.(*stateDict).d, depth)
}
