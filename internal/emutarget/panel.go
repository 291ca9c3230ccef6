package emutarget

import (
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/emulator"
)

// SetInputs sets a scenario's recorded panel inputs on the emulator's
// panel, all or none; the runner calls it through Target.Panel before
// each attempt of a scenario with an [inputs] section.
func (t *Target) SetInputs(inputs []scenario.Input) error {
	in := make([]emulator.Input, len(inputs))
	for i, x := range inputs {
		in[i] = emulator.Input{Name: x.Name, Value: x.Value}
	}
	return t.IO().SetInputs(in)
}

// Inputs returns every input of the emulator's panel as it is now, as a
// scenario's [inputs] section records them, in scenario.InputNames order.
func (t *Target) Inputs() []scenario.Input {
	st := t.IO().Snapshot().Inputs
	values := map[string]float64{
		"k1": st.K1, "k2": st.K2, "ain": st.AIN,
		"din": float64(st.DIN), "b1": float64(st.B1), "b2": float64(st.B2),
	}
	out := make([]scenario.Input, 0, len(scenario.InputNames))
	for _, name := range scenario.InputNames {
		out = append(out, scenario.Input{Name: name, Value: values[name]})
	}
	return out
}
