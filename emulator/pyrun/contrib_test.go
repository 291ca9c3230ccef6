package pyrun

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/upstream"
)

// startScript runs script (a module name or a file) on the checkout named
// by $EUROPI_FIRMWARE.
func startScript(t *testing.T, python, script string) *testRun {
	t.Helper()
	return startConfig(t, Config{Firmware: upstream.FirmwareFromEnv(t), Script: script, Python: python})
}

// waitIRQ waits until the script has set an irq handler on pin: an input
// that changes before fires nothing, as on the module.
func waitIRQ(t *testing.T, tr *testRun, pin int) {
	t.Helper()
	waitStatus(t, tr.Runner, func(emulator.Status) bool { return tr.IRQTrigger(pin) != 0 })
}

// gates reports which outputs are on (any voltage above 0).
func gates(st emulator.IOState) [emulator.NumCVs]bool {
	var on [emulator.NumCVs]bool
	for i, o := range st.Outputs {
		on[i] = o.Duty > 0
	}
	return on
}

func blank(frame []byte) bool {
	for _, b := range frame {
		if b != 0 {
			return false
		}
	}
	return true
}

// pressUntil presses and releases a button until cond holds: the
// firmware ignores a press within its debounce time (200 ms) of the last
// one, or of the interpreter's start, as the module does after boot.
func pressUntil(t *testing.T, tr *testRun, name, what string, cond func(emulator.IOState, []byte) bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		require.NoError(t, tr.IO().Set(name, 1))
		require.NoError(t, tr.IO().Set(name, 0))
		retry := time.After(500 * time.Millisecond)
		for {
			changed := tr.IO().Changed()
			if cond(tr.IO().Snapshot(), tr.IO().Display().Frame()) {
				return
			}
			select {
			case <-changed:
				continue
			case <-retry:
			}
			break
		}
	}
	t.Fatalf("no %s within %v of pressing %s; log:\n%s", what, waitLimit, name, tr.log.String())
}

// TestContribScripts runs upstream contrib scripts, unmodified, on the
// real firmware and works their panels: knobs and inputs set, buttons
// pressed, and the outputs and the OLED checked.
func TestContribScripts(t *testing.T) {
	cases := []struct {
		script   string
		exercise func(t *testing.T, tr *testRun)
	}{
		{"contrib.binary_counter", func(t *testing.T, tr *testRun) {
			// k1 and k2 at 0: each rising edge of din shows the count in
			// binary on cv1..cv6 while din is high, then counts one.
			waitIRQ(t, tr, pinDIN)
			waitPanel(t, tr, "the count on the OLED", func(_ emulator.IOState, frame []byte) bool { return !blank(frame) })
			zero := tr.IO().Display().Frame()
			require.NoError(t, tr.IO().Set("din", 1))
			waitPanel(t, tr, "the count of 1 on the OLED", func(_ emulator.IOState, frame []byte) bool {
				return string(frame) != string(zero)
			})
			require.NoError(t, tr.IO().Set("din", 0))
			require.NoError(t, tr.IO().Set("din", 1))
			waitPanel(t, tr, "1 in binary", func(st emulator.IOState, _ []byte) bool {
				return gates(st) == [6]bool{true}
			})
			require.NoError(t, tr.IO().Set("din", 0))
			waitPanel(t, tr, "outputs off as din falls", func(st emulator.IOState, _ []byte) bool {
				return gates(st) == [6]bool{}
			})
			require.NoError(t, tr.IO().Set("din", 1))
			waitPanel(t, tr, "2 in binary", func(st emulator.IOState, _ []byte) bool {
				return gates(st) == [6]bool{false, true}
			})
			// b1 changes the mode, which the script saves as its state file
			// on the flash.
			state := filepath.Join(tr.FlashDir(), "saved_state_BinaryCounter.txt")
			pressUntil(t, tr, "b1", "the state file", func(emulator.IOState, []byte) bool {
				_, err := os.Stat(state)
				return err == nil
			})
		}},
		{"contrib.logic", func(t *testing.T, tr *testRun) {
			// cv1..cv6 = AND, OR, XOR, NAND, NOR, XNOR of din and ain > 0.8 V.
			waitIRQ(t, tr, pinDIN)
			require.NoError(t, tr.IO().Set("din", 1))
			waitPanel(t, tr, "din alone", func(st emulator.IOState, _ []byte) bool {
				return gates(st) == [6]bool{false, true, true, true, false, false}
			})
			require.NoError(t, tr.IO().Set("ain", 5))
			waitPanel(t, tr, "din and ain", func(st emulator.IOState, frame []byte) bool {
				return gates(st) == [6]bool{true, true, false, false, false, true} && !blank(frame)
			})
		}},
		{"contrib.knob_playground", func(t *testing.T, tr *testRun) {
			waitPanel(t, tr, "the knobs' text", func(_ emulator.IOState, frame []byte) bool { return !blank(frame) })
			waitIRQ(t, tr, pinB2)
			before := tr.IO().Display().Frame()
			require.NoError(t, tr.IO().Set("k2", 70))
			waitPanel(t, tr, "k2's new value on the OLED", func(_ emulator.IOState, frame []byte) bool {
				return string(frame) != string(before)
			})
			turned := tr.IO().Display().Frame()
			pressUntil(t, tr, "b2", "b2 selecting the next knob", func(_ emulator.IOState, frame []byte) bool {
				return string(frame) != string(turned)
			})
		}},
		{"contrib.harmonic_lfos", func(t *testing.T, tr *testRun) {
			var first [emulator.NumCVs]int
			waitPanel(t, tr, "the LFOs moving", func(st emulator.IOState, frame []byte) bool {
				if first == [emulator.NumCVs]int{} {
					for i, o := range st.Outputs {
						first[i] = o.Duty
					}
					return false
				}
				moved := 0
				for i, o := range st.Outputs {
					if o.Duty != first[i] {
						moved++
					}
				}
				return moved >= 3 && !blank(frame)
			})
		}},
		{"contrib.coin_toss", func(t *testing.T, tr *testRun) {
			require.NoError(t, tr.IO().Set("k1", 100)) // the fastest clock
			seen := map[[emulator.NumCVs]bool]bool{}
			waitPanel(t, tr, "the coin's outputs changing", func(st emulator.IOState, frame []byte) bool {
				seen[gates(st)] = true
				return len(seen) >= 3 && !blank(frame)
			})
		}},
	}
	for _, python := range interpreters(t) {
		for _, c := range cases {
			t.Run(python+"/"+c.script, func(t *testing.T) {
				tr := startScript(t, python, c.script)
				c.exercise(t, tr)
				require.Equal(t, "running under "+python, tr.Status().State, tr.log.String())
			})
		}
	}
}
