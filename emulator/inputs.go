package emulator

import (
	"fmt"
	"strconv"
	"strings"
)

// Input is one input to set: a name IO.Set accepts and its value in the
// units IO.Set takes (knobs in percent, ain in volts, din/b1/b2 as 0 or 1).
type Input struct {
	// Name is "k1", "k2", "ain", "din", "b1" or "b2".
	Name string
	// Value is the new value.
	Value float64
}

// ParseInput parses the CLI's NAME=VALUE form ("k1=40", " ain = 3.5 ").
// Whether the name and value are acceptable is IO.SetInputs' business.
func ParseInput(s string) (Input, error) {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return Input{}, fmt.Errorf("%q: want NAME=VALUE, like k1=40", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil {
		return Input{}, fmt.Errorf("%q: %q is not a number", s, value)
	}
	return Input{Name: name, Value: v}, nil
}

// SetInputs sets every input, or none: all are checked first, so a bad
// one (an unknown name, a value out of range) leaves the panel as it was
// and the error names it. The dashboard's control API, the CLI's --set
// and the conformance target's recorded inputs all set inputs through it.
func (io *IO) SetInputs(inputs []Input) error {
	// Set's checks do not depend on the panel's state, so a scratch panel
	// runs them without touching the real one.
	scratch := NewIO()
	for _, in := range inputs {
		if err := scratch.Set(in.Name, in.Value); err != nil {
			return err
		}
	}
	for _, in := range inputs {
		if err := io.Set(in.Name, in.Value); err != nil {
			return err // unreachable while the checks above are IO.Set's own
		}
	}
	return nil
}
