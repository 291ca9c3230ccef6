package emulator

import (
	"fmt"
	"math"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// pinKind says which EuroPi class a pin value stands for.
type pinKind int

const (
	kindOutput pinKind = iota
	kindKnob
	kindAnalogue
	kindDigital
	kindButton
)

// pin is one of EuroPi's I/O objects (cv1, k1, din, ...) as a Starlark
// value. It holds no state: every method reads or writes the IO of the
// thread calling it, so the same frozen value serves every run and reload.
type pin struct {
	name  string
	kind  pinKind
	index int // output or knob or button number from 0; -1 for din
}

var _ starlark.HasAttrs = (*pin)(nil)

func (p *pin) String() string        { return fmt.Sprintf("<%s %s>", p.Type(), p.name) }
func (p *pin) Freeze()               {}
func (p *pin) Truth() starlark.Bool  { return true }
func (p *pin) Hash() (uint32, error) { return starlark.String(p.name).Hash() }

// Type returns the EuroPi class name, so error messages read like the
// device's.
func (p *pin) Type() string {
	switch p.kind {
	case kindOutput:
		return "Output"
	case kindKnob:
		return "Knob"
	case kindAnalogue:
		return "AnalogueInput"
	case kindDigital:
		return "DigitalInput"
	}
	return "Button"
}

// pinMethod implements one method of a pin.
type pinMethod func(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

var pinMethods = map[pinKind]map[string]pinMethod{
	kindOutput: {
		"voltage": outputVoltage,
		"on":      outputOn,
		"off":     outputOff,
		"toggle":  outputToggle,
		"value":   outputValue,
	},
	kindKnob: {
		"percent":       analoguePercent,
		"read_position": knobRange,
		"range":         knobRange,
		"choice":        knobChoice,
	},
	kindAnalogue: {
		"percent":      analoguePercent,
		"read_voltage": ainReadVoltage,
	},
	kindDigital: {"value": digitalValue},
	kindButton:  {"value": digitalValue},
}

func (p *pin) Attr(name string) (starlark.Value, error) {
	m, ok := pinMethods[p.kind][name]
	if !ok {
		return nil, nil
	}
	fn := p.name + "." + name
	return starlark.NewBuiltin(fn, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		io, err := threadIO(thread)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", fn, err)
		}
		return m(io, p, fn, args, kwargs)
	}), nil
}

func (p *pin) AttrNames() []string {
	names := make([]string, 0, len(pinMethods[p.kind]))
	for n := range pinMethods[p.kind] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// outputVoltage is Output.voltage(voltage=None): read back with no
// argument (or None), set otherwise.
func outputVoltage(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value = starlark.None
	if err := starlark.UnpackArgs(fn, args, kwargs, "voltage?", &v); err != nil {
		return nil, err
	}
	if v == starlark.None {
		// Quirk: voltage(None) reads instead of setting, so a JSON null
		// for a CV leaves it where it was.
		return starlark.Float(dutyVolts(io.outputDuty(p.index))), nil
	}
	volts, err := pyNumber(v)
	if err != nil {
		return nil, err
	}
	duty, err := voltsDuty(volts)
	if err != nil {
		return nil, err
	}
	io.setDuty(p.index, duty)
	return starlark.None, nil
}

// pyNumber turns an int, float or bool into the float the device's
// clamp() compares, failing with the TypeError text Python's min() gives.
func pyNumber(v starlark.Value) (float64, error) {
	switch x := v.(type) {
	case starlark.Float:
		return float64(x), nil
	case starlark.Int:
		if i, ok := x.Int64(); ok {
			return float64(i), nil
		}
		// Huge ints clamp to an end of the range anyway.
		if x.BigInt().Sign() < 0 {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case starlark.Bool:
		// Quirk: a Python bool is an int, so True sets 1 V.
		if x {
			return 1, nil
		}
		return 0, nil
	}
	// Quirk: upstream's clamp() calls min(voltage, 10.0), whose TypeError
	// names the float first.
	return 0, fmt.Errorf("'<' not supported between instances of 'float' and '%s'", pyTypeName(v))
}

func outputOn(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 0); err != nil {
		return nil, err
	}
	duty, _ := voltsDuty(GateVoltage)
	io.setDuty(p.index, duty)
	return starlark.None, nil
}

func outputOff(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 0); err != nil {
		return nil, err
	}
	io.setDuty(p.index, 0)
	return starlark.None, nil
}

// outputToggle is Output.toggle(): off when the duty is above 500, on
// otherwise, as upstream decides.
func outputToggle(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if io.outputDuty(p.index) > 500 {
		return outputOff(io, p, fn, args, kwargs)
	}
	return outputOn(io, p, fn, args, kwargs)
}

// outputValue is Output.value(v): the gate voltage when v is truthy, 0 V
// otherwise.
func outputValue(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "value", &v); err != nil {
		return nil, err
	}
	if v.Truth() {
		return outputOn(io, p, fn, nil, nil)
	}
	return outputOff(io, p, fn, nil, nil)
}

// analoguePercent is percent(samples=None, deadzone=None). The emulated
// panel holds the reading itself, so samples and deadzone change nothing.
func analoguePercent(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var samples, deadzone starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "samples?", &samples, "deadzone?", &deadzone); err != nil {
		return nil, err
	}
	if p.kind == kindAnalogue {
		// AnalogueInput.percent() is the reading over the calibrated 10 V
		// span, capped at 1.0 for anything above it.
		return starlark.Float(math.Min(io.ainVolts()/MaxInputVoltage, 1)), nil
	}
	return starlark.Float(io.knobPercent(p.index)), nil
}

// ainReadVoltage is AnalogueInput.read_voltage(samples=None), clamped to
// MAX_INPUT_VOLTAGE as on the device.
func ainReadVoltage(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var samples starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "samples?", &samples); err != nil {
		return nil, err
	}
	return starlark.Float(math.Min(io.ainVolts(), MaxInputVoltage)), nil
}

// knobRange is Knob.range(steps=100, ...) and read_position: an int in
// 0..steps-1 chosen by the knob's position.
func knobRange(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	steps := 100
	var samples, deadzone starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "steps?", &steps, "samples?", &samples, "deadzone?", &deadzone); err != nil {
		return nil, err
	}
	percent := io.knobPercent(p.index)
	if percent >= 1 {
		return starlark.MakeInt(steps - 1), nil
	}
	return starlark.MakeInt(int(percent * float64(steps))), nil
}

// knobChoice is Knob.choice(values, ...): the item the knob's position
// selects, the last one when fully clockwise.
func knobChoice(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var values *starlark.List
	var samples, deadzone starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "values", &values, "samples?", &samples, "deadzone?", &deadzone); err != nil {
		return nil, err
	}
	n := values.Len()
	if n == 0 {
		return nil, fmt.Errorf("%s: list index out of range", fn)
	}
	percent := io.knobPercent(p.index)
	if percent >= 1 {
		return values.Index(n - 1), nil
	}
	return values.Index(int(percent * float64(n))), nil
}

// digitalValue is value() of din, b1 and b2: 1 when high or pressed.
func digitalValue(io *IO, p *pin, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(io.digital(p.index)), nil
}

// EuroPi is the Starlark module `europi`: the names `from europi import *`
// gives a EuroPi script, all of which are also predeclared on their own.
//
//	cv1 ... cv6   Output: voltage(v=None) sets v volts (clamped to 0..10)
//	              or reads back the quantised voltage; on(), off(),
//	              toggle(), value(v)
//	cvs           the list [cv1, ..., cv6]
//	NUM_CVS       6
//	k1, k2        Knob: percent() in 0.0..1.0, read_position(steps=100),
//	              range(steps=100), choice(values)
//	ain           AnalogueInput: read_voltage() in volts, percent()
//	din           DigitalInput: value() is 0 or 1
//	b1, b2        Button: value() is 1 while pressed
//	oled          the 128×32 display: fill, pixel, hline, vline, line,
//	              rect, fill_rect, ellipse, blit, text, scroll,
//	              centre_text, invert, rotate, contrast, width, height;
//	              show() puts what was drawn on the panel's Display
//	FrameBuffer, MONO_HLSB  framebuf's, for images to blit
//	OLED_WIDTH, OLED_HEIGHT, CHAR_WIDTH, CHAR_HEIGHT  128, 32, 8, 8
//
// Their state lives in the emulator's IO, not in the script, so it
// persists across requests and reloads and can be set from outside (--set,
// the dashboard); only what is drawn on oled before show() belongs to the
// loaded script. Methods fail outside an emulator thread.
var EuroPi = newEuroPiModule()

func newEuroPiModule() *starlarkstruct.Module {
	members := starlark.StringDict{
		"NUM_CVS": starlark.MakeInt(NumCVs),
		"k1":      &pin{name: "k1", kind: kindKnob, index: 0},
		"k2":      &pin{name: "k2", kind: kindKnob, index: 1},
		"ain":     &pin{name: "ain", kind: kindAnalogue},
		"din":     &pin{name: "din", kind: kindDigital, index: -1},
		"b1":      &pin{name: "b1", kind: kindButton, index: 0},
		"b2":      &pin{name: "b2", kind: kindButton, index: 1},
		"oled":    oledValue{},
		// The display's geometry and the font's cell, as europi.py
		// exports them.
		"OLED_WIDTH":  starlark.MakeInt(DisplayWidth),
		"OLED_HEIGHT": starlark.MakeInt(DisplayHeight),
		"CHAR_WIDTH":  starlark.MakeInt(fontCell),
		"CHAR_HEIGHT": starlark.MakeInt(fontCell),
		// europi.py imports these from framebuf for its boot logo.
		"FrameBuffer": FrameBuf.Members["FrameBuffer"],
		"MONO_HLSB":   FrameBuf.Members["MONO_HLSB"],
	}
	cvs := make([]starlark.Value, NumCVs)
	for i := range cvs {
		name := fmt.Sprintf("cv%d", i+1)
		cvs[i] = &pin{name: name, kind: kindOutput, index: i}
		members[name] = cvs[i]
	}
	members["cvs"] = starlark.NewList(cvs)
	m := &starlarkstruct.Module{Name: "europi", Members: members}
	m.Freeze()
	return m
}
