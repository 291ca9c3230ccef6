package emulator

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/europi-http/europi-http/internal/broadcast"
)

// NumCVs is the number of CV outputs, EuroPi's NUM_CVS.
const NumCVs = 6

// The device's default configuration, as europi_config and
// europi_hardware define it when no calibration has been run.
const (
	// MaxOutputVoltage is MAX_OUTPUT_VOLTAGE: outputs clamp to 0..10 V.
	MaxOutputVoltage = 10.0
	// MaxInputVoltage is MAX_INPUT_VOLTAGE: ain.read_voltage() clamps to it.
	MaxInputVoltage = 10.0
	// GateVoltage is GATE_VOLTAGE, what Output.on() sets.
	GateVoltage = 5.0
	// MaxAINVoltage is the most the analogue input jack reads; it is
	// protected up to 12 V.
	MaxAINVoltage = 12.0
	// maxUint16 is the PWM duty range, MAX_UINT16.
	maxUint16 = 65535
)

// outputCalibration is upstream's default OUTPUT_CALIBRATION_VALUES: the
// PWM duty for 0, 1, ... 10 V. Facts from europi_hardware, used for every
// output as the device does without a calibration file.
var outputCalibration = [11]int{0, 6300, 12575, 19150, 25375, 31625, 38150, 44225, 50525, 56950, 63475}

// IO is the host-side state of the EuroPi panel: knobs, buttons, the
// digital and analogue inputs, the six CV outputs and the OLED (Display).
// Scripts, the CLI's --set and a dashboard all share one IO; it is safe for
// concurrent use and lives as long as the emulator, so it survives script
// reloads.
type IO struct {
	mu      sync.Mutex
	knob    [2]float64 // 0..100, as Set takes it; percent() divides by 100
	ain     float64    // volts at the jack, 0..MaxAINVoltage
	din     int
	button  [2]int
	duty    [NumCVs]int
	display displayState
	version uint64
	// changed wakes the waiters of Changed at the next change.
	changed broadcast.Signal
	// inputWatchers get every input change, in order (WatchInputs).
	inputWatchers map[uint64]func(Input)
	nextWatcher   uint64
}

// NewIO returns a panel with every knob at 0 %, every input low and every
// output at 0 V.
func NewIO() *IO { return &IO{} }

// inputNames are the names Set accepts, in the order upstream's
// http_control reports inputs.
var inputNames = []string{"ain", "din", "k1", "k2", "b1", "b2"}

// Set sets one input from outside the script. name is one of "k1", "k2"
// (the knob's position in percent, 0..100, so k1=40 makes k1.percent()
// return 0.4), "ain" (volts at the analogue input, 0..12; read_voltage()
// clamps to 10 as the device does), "din", "b1" or "b2" (0 or 1, high or
// pressed being 1). A bad name or an out-of-range value is an error and
// changes nothing.
func (io *IO) Set(name string, value float64) error {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("input %s: value %v is not a finite number", name, value)
	}
	io.mu.Lock()
	defer io.mu.Unlock()
	var target *float64
	var digital *int
	switch name {
	case "k1", "k2":
		if value < 0 || value > 100 {
			return fmt.Errorf("input %s: %v is outside 0..100 (a knob is set in percent)", name, value)
		}
		target = &io.knob[name[1]-'1']
	case "ain":
		if value < 0 || value > MaxAINVoltage {
			return fmt.Errorf("input ain: %v V is outside 0..%v V", value, MaxAINVoltage)
		}
		target = &io.ain
	case "din", "b1", "b2":
		if value != 0 && value != 1 {
			return fmt.Errorf("input %s: %v is not 0 or 1", name, value)
		}
		digital = &io.din
		if name != "din" {
			digital = &io.button[name[1]-'1']
		}
	default:
		return fmt.Errorf("unknown input %q: want one of %s", name, strings.Join(sortedInputNames(), ", "))
	}
	switch {
	case target != nil && *target != value:
		*target = value
		io.changedLocked()
		io.inputChangedLocked(name, value)
	case digital != nil && *digital != int(value):
		*digital = int(value)
		io.changedLocked()
		io.inputChangedLocked(name, value)
	}
	return nil
}

func sortedInputNames() []string {
	names := append([]string(nil), inputNames...)
	sort.Strings(names)
	return names
}

// IOState is a JSON-friendly copy of the whole panel, taken at one moment.
type IOState struct {
	// Version counts the changes made to the panel since it was created
	// (setting a value it already has is none), so a poller can tell
	// whether anything moved.
	Version uint64 `json:"version"`
	// Inputs holds every input, in the units Set takes.
	Inputs InputState `json:"inputs"`
	// Outputs holds cv1 to cv6, in order.
	Outputs []OutputState `json:"outputs"`
}

// InputState holds every input, in the units IO.Set takes.
type InputState struct {
	// AIN is the voltage at the analogue input jack.
	AIN float64 `json:"ain"`
	// DIN is the digital input, 0 or 1.
	DIN int `json:"din"`
	// K1 and K2 are the knobs' positions in percent, 0..100.
	K1 float64 `json:"k1"`
	K2 float64 `json:"k2"`
	// B1 and B2 are the buttons, 1 while pressed.
	B1 int `json:"b1"`
	B2 int `json:"b2"`
}

// OutputState is one CV output.
type OutputState struct {
	// Name is "cv1" to "cv6".
	Name string `json:"name"`
	// Volts is what cvN.voltage() reads back: the duty scaled to 0..10 V.
	Volts float64 `json:"volts"`
	// Duty is the PWM duty cycle (0..65535) the device would write.
	Duty int `json:"duty"`
}

// Snapshot returns a copy of every input and output.
func (io *IO) Snapshot() IOState {
	io.mu.Lock()
	defer io.mu.Unlock()
	st := IOState{
		Version: io.version,
		Inputs: InputState{
			AIN: io.ain, DIN: io.din,
			K1: io.knob[0], K2: io.knob[1],
			B1: io.button[0], B2: io.button[1],
		},
		Outputs: make([]OutputState, NumCVs),
	}
	for i, d := range io.duty {
		st.Outputs[i] = OutputState{Name: fmt.Sprintf("cv%d", i+1), Volts: dutyVolts(d), Duty: d}
	}
	return st
}

// knobPercent is Knob.percent(): 0.0..1.0. Dividing the percent given to
// Set gives the nearest float to it (40 gives 0.4 exactly).
func (io *IO) knobPercent(i int) float64 {
	io.mu.Lock()
	defer io.mu.Unlock()
	return io.knob[i] / 100
}

// ainVolts is the voltage at the analogue input jack.
func (io *IO) ainVolts() float64 {
	io.mu.Lock()
	defer io.mu.Unlock()
	return io.ain
}

// digital returns din (-1), b1 (0) or b2 (1).
func (io *IO) digital(button int) int {
	io.mu.Lock()
	defer io.mu.Unlock()
	if button < 0 {
		return io.din
	}
	return io.button[button]
}

// outputDuty returns cv(i+1)'s duty.
func (io *IO) outputDuty(i int) int {
	io.mu.Lock()
	defer io.mu.Unlock()
	return io.duty[i]
}

// setDuty stores cv(i+1)'s duty, as Output._set_duty does.
func (io *IO) setDuty(i, duty int) {
	io.mu.Lock()
	defer io.mu.Unlock()
	if io.duty[i] != duty {
		io.duty[i] = duty
		io.changedLocked()
	}
}

// dutyVolts is Output.voltage() reading back: duty / MAX_UINT16 *
// MAX_VOLTAGE, in that order so the float rounds as on the device.
func dutyVolts(duty int) float64 {
	return float64(duty) / maxUint16 * MaxOutputVoltage
}

// voltsDuty is the duty Output.voltage(v) writes for v volts: clamp to
// 0..10, then interpolate the calibration table and truncate to an int, as
// europi_hardware does. It fails where the device's int() would (NaN).
func voltsDuty(v float64) (int, error) {
	// Quirk: clamp is max(min(v, high), low), so NaN passes through to
	// int() and fails there, as on the device.
	if !math.IsNaN(v) {
		v = math.Max(math.Min(v, MaxOutputVoltage), 0)
	}
	if math.IsNaN(v) {
		return 0, fmt.Errorf("cannot convert float NaN to integer")
	}
	index := int(math.Floor(v))
	gradient := gradientAt(index)
	cycle := float64(outputCalibration[index]) + float64(gradient)*math.Mod(v, 1)
	// Quirk: _set_duty truncates with int(), it does not round.
	return int(cycle), nil
}

// gradientAt is the duty per volt above index volts; the last step repeats
// the one before it, as upstream's table does.
func gradientAt(index int) int {
	if index >= len(outputCalibration)-1 {
		index = len(outputCalibration) - 2
	}
	return outputCalibration[index+1] - outputCalibration[index]
}
