package pyrun

import (
	"math"

	"github.com/europi-http/europi-http/emulator"
)

// The RP2040 GPIO pins EuroPi wires its panel to (europi_hardware's
// PIN_* numbers): the stand-ins see the panel through them.
const (
	pinB1  = 4
	pinB2  = 5
	pinDIN = 22
	pinAIN = 26
	pinK1  = 27
	pinK2  = 28
)

// cvPins maps a PWM pin to its output, cv1 to cv6.
var cvPins = map[byte]int{21: 0, 20: 1, 16: 2, 17: 3, 18: 4, 19: 5}

// The firmware's default input calibration (INPUT_CALIBRATION_VALUES
// without a calibration file): the ADC reads 384 at 0 V and 44634 at 10 V.
const (
	ainZero  = 384
	ainTenV  = 44634
	adcRange = 65535
)

// pinValue is what one panel input looks like at its pin: an ADC reading
// (analogue) or a logic level.
type pinValue struct {
	pin      byte
	analogue bool
	value    uint16
}

// inputPin turns a panel input, in the units emulator.IO.Set takes, into
// what its pin reads. The knobs are wired so that turning them up lowers
// the ADC reading (the firmware's Knob reverses it); the buttons and the
// digital input pull their pins low when pressed or high.
func inputPin(in emulator.Input) (pinValue, bool) {
	switch in.Name {
	case "k1", "k2":
		pin := byte(pinK1)
		if in.Name == "k2" {
			pin = pinK2
		}
		return pinValue{pin: pin, analogue: true, value: adc((1 - in.Value/100) * adcRange)}, true
	case "ain":
		return pinValue{pin: pinAIN, analogue: true, value: adc(ainZero + in.Value/10*(ainTenV-ainZero))}, true
	case "din", "b1", "b2":
		pin := byte(pinDIN)
		switch in.Name {
		case "b1":
			pin = pinB1
		case "b2":
			pin = pinB2
		}
		level := uint16(1)
		if in.Value != 0 {
			level = 0
		}
		return pinValue{pin: pin, value: level}, true
	}
	return pinValue{}, false
}

// adc rounds a reading and keeps it in the ADC's 16-bit range.
func adc(v float64) uint16 {
	return uint16(math.Round(math.Max(0, math.Min(adcRange, v))))
}

// panelInputs lists every input of a snapshot, in the units IO.Set takes.
func panelInputs(st emulator.InputState) []emulator.Input {
	return []emulator.Input{
		{Name: "k1", Value: st.K1}, {Name: "k2", Value: st.K2}, {Name: "ain", Value: st.AIN},
		{Name: "din", Value: float64(st.DIN)}, {Name: "b1", Value: float64(st.B1)}, {Name: "b2", Value: float64(st.B2)},
	}
}
