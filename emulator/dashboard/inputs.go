package dashboard

import (
	"slices"
	"strings"

	"github.com/europi-http/europi-http/emulator"
)

// inputsFromJSON orders a decoded {"k1": 40, ...} object by name, so the
// inputs are set, and an error is found, in the same order every time.
func inputsFromJSON(m map[string]float64) []emulator.Input {
	inputs := make([]emulator.Input, 0, len(m))
	for name, v := range m {
		inputs = append(inputs, emulator.Input{Name: name, Value: v})
	}
	slices.SortFunc(inputs, func(a, b emulator.Input) int { return strings.Compare(a.Name, b.Name) })
	return inputs
}
