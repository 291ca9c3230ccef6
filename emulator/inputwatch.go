package emulator

import "fmt"

// WatchInputs calls fn with every change of an input from now on, in the
// order the changes were made, until stop is called; setting an input to
// the value it has is no change. A real interpreter's stand-ins need every
// edge, in order, to fire a script's IRQ handlers, where a poller of
// Changed would see only the latest state. fn runs with the panel locked:
// it must return quickly and must not call the IO's methods (queue the
// change and act on it elsewhere).
func (io *IO) WatchInputs(fn func(Input)) (stop func()) {
	io.mu.Lock()
	defer io.mu.Unlock()
	if io.inputWatchers == nil {
		io.inputWatchers = map[uint64]func(Input){}
	}
	id := io.nextWatcher
	io.nextWatcher++
	io.inputWatchers[id] = fn
	return func() {
		io.mu.Lock()
		defer io.mu.Unlock()
		delete(io.inputWatchers, id)
	}
}

// inputChangedLocked tells the watchers of an input's new value; io.mu
// must be held.
func (io *IO) inputChangedLocked(name string, value float64) {
	for _, fn := range io.inputWatchers {
		fn(Input{Name: name, Value: value})
	}
}

// SetOutputDuty sets the PWM duty (0..65535) of output cv (0 for cv1 to
// NumCVs-1 for cv6), as a real script's PWM.duty_u16 on the output's pin
// does; the panel shows it as volts the way Output.voltage() reads back.
func (io *IO) SetOutputDuty(cv, duty int) error {
	if cv < 0 || cv >= NumCVs {
		return fmt.Errorf("output %d: want 0..%d", cv, NumCVs-1)
	}
	if duty < 0 || duty > maxUint16 {
		return fmt.Errorf("cv%d: duty %d is outside 0..%d", cv+1, duty, maxUint16)
	}
	io.setDuty(cv, duty)
	return nil
}
