package dashboard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/emulator"
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
// Whether the name and value are acceptable is SetInputs' business.
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

// SetInputs sets every input on io, or none: all are checked first, so a
// bad one (an unknown name, a value out of range) leaves the panel as it
// was and the error names it. The control API and the CLI's --set both
// set inputs through it.
func SetInputs(io *emulator.IO, inputs []Input) error {
	// IO.Set's checks do not depend on the panel's state, so a scratch
	// panel runs them without touching the real one.
	scratch := emulator.NewIO()
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

// inputsFromJSON orders a decoded {"k1": 40, ...} object by name, so the
// inputs are set, and an error is found, in the same order every time.
func inputsFromJSON(m map[string]float64) []Input {
	inputs := make([]Input, 0, len(m))
	for name, v := range m {
		inputs = append(inputs, Input{Name: name, Value: v})
	}
	slices.SortFunc(inputs, func(a, b Input) int { return strings.Compare(a.Name, b.Name) })
	return inputs
}
