package pyrun

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

// TestPanelThroughStandins runs a script that uses machine, ssd1306 and
// network directly: the knob's ADC reading comes through, every button
// edge reaches its irq handler in order, PWM duty moves the CVs, and the
// OLED's show() lands on the panel's display.
func TestPanelThroughStandins(t *testing.T) {
	for _, python := range interpreters(t) {
		t.Run(python, func(t *testing.T) {
			checkPanel(t, startRun(t, python, "panel.py", false), python)
		})
	}
}

// checkPanel checks a run of panel.py under the interpreter named python.
func checkPanel(t *testing.T, tr *testRun, python string) {
	t.Helper()
	waitPanel(t, tr, "OLED frame", func(_ emulator.IOState, frame []byte) bool {
		return emulator.FramePixel(frame, 0, 0)
	})
	frame := tr.IO().Display().Frame()
	for y := range 8 {
		for x := range 8 {
			assert.True(t, emulator.FramePixel(frame, x, y), "the filled box at (%d,%d)", x, y)
		}
		assert.False(t, emulator.FramePixel(frame, 8, y), "right of the box at (8,%d)", y)
	}
	lit := 0
	for y := range 8 {
		for x := 16; x < 32; x++ {
			if emulator.FramePixel(frame, x, y) {
				lit++
			}
		}
	}
	assert.Greater(t, lit, 10, "the text OK is drawn")

	require.NoError(t, tr.IO().Set("k1", 40))
	waitPanel(t, tr, "cv2 following k1's ADC", func(st emulator.IOState, _ []byte) bool {
		return st.Outputs[1].Duty == 39321 // (1 - 0.40) × 65535: the knob is wired reversed
	})

	for _, v := range []float64{1, 0, 1, 0} {
		require.NoError(t, tr.IO().Set("b1", v))
	}
	waitPanel(t, tr, "four edges counted on cv1", func(st emulator.IOState, _ []byte) bool {
		return st.Outputs[0].Duty == 4
	})
	waitLog(t, tr, "address 127.0.0.1")
	assert.Equal(t, "running under "+python, tr.Status().State)
}

// TestScriptEnds covers the ways a script ends: an exception (its
// traceback in the log and the status), its own exit code, and a script
// that does not compile or whose top level fails on an import statement,
// there or in a module it imports (a SetupError, code 2); an ImportError
// raised at run time is an exception like any other.
func TestScriptEnds(t *testing.T) {
	cases := []struct {
		script    string
		code      int
		setup     bool
		inError   string
		stateWant string
	}{
		{script: "raises.py", code: 1, inError: "ValueError: boom from the test script", stateWant: "exited with code 1"},
		{script: "exits.py", code: 3, stateWant: "exited with code 3"},
		{script: "syntax.py", code: 2, setup: true, inError: "SyntaxError", stateWant: "did not import"},
		{script: "imports_missing.py", code: 2, setup: true, inError: "no_such_module_for_the_test", stateWant: "did not import"},
		{script: "imports_broken.py", code: 2, setup: true, inError: "no_such_package_for_the_test", stateWant: "did not import"},
		{script: "imports_at_run_time.py", code: 1, inError: "no_such_module_at_run_time", stateWant: "exited with code 1"},
		{script: "raises_import_error.py", code: 1, inError: "ImportError: raised by the test script", stateWant: "exited with code 1"},
	}
	for _, python := range interpreters(t) {
		for _, c := range cases {
			t.Run(python+"/"+c.script, func(t *testing.T) {
				tr := startRun(t, python, c.script, false)
				code, err := tr.wait(t)
				assert.Equal(t, c.code, code)
				if c.setup {
					var se *SetupError
					require.ErrorAs(t, err, &se)
					assert.Contains(t, se.Error(), "does not import")
					assert.Contains(t, se.Error(), c.inError)
					assert.NotContains(t, se.Error(), "\n")
				} else {
					require.NoError(t, err)
				}
				st := tr.Status()
				assert.Equal(t, c.stateWant, st.State)
				assert.Contains(t, st.Error, c.inError)
				if c.script == "raises.py" {
					assert.Contains(t, st.Error, "Traceback (most recent call last)")
					waitLog(t, tr, "boom from the test script")
				}
			})
		}
	}
}

// TestDevicePort: the script's bind to 0.0.0.0:80 lands on the loopback
// port the run chose, and the run learns the port it asked for.
func TestDevicePort(t *testing.T) {
	for _, python := range interpreters(t) {
		t.Run(python, func(t *testing.T) {
			tr := startRun(t, python, "server.py", false)
			deadline := time.Now().Add(waitLimit)
			var reply string
			for time.Now().Before(deadline) {
				conn, err := net.DialTimeout("tcp", tr.DeviceAddr(), time.Second)
				if err != nil {
					time.Sleep(50 * time.Millisecond) // the interpreter is still starting
					continue
				}
				_ = conn.SetDeadline(time.Now().Add(waitLimit))
				fmt.Fprint(conn, "ping\r\n\r\n")
				line, _ := bufio.NewReader(conn).ReadString('\n')
				_ = conn.Close()
				reply = line
				break
			}
			assert.Equal(t, "pong 127.0.0.1", reply)
			assert.Equal(t, 80, tr.DevicePortAsked())
		})
	}
}

// TestFlash: files the script writes, at "/" too, land in the run's own
// folder.
func TestFlash(t *testing.T) {
	for _, python := range interpreters(t) {
		t.Run(python, func(t *testing.T) {
			tr := startRun(t, python, "flash.py", false)
			code, err := tr.wait(t)
			require.NoError(t, err)
			require.Equal(t, 0, code, tr.log.String())
			for _, name := range []string{"europi_log.txt", "state.txt", filepath.Join("config", "EuroPiConfig.json")} {
				_, err := os.Stat(filepath.Join(tr.FlashDir(), name))
				assert.NoError(t, err, name)
			}
			waitLog(t, tr, "flash ['config', 'europi_log.txt', 'state.txt']")
		})
	}
}

// TestWatchRestarts: an edit of the script, or of the firmware, restarts
// the interpreter; a script that ended waits for the edit.
func TestWatchRestarts(t *testing.T) {
	python := interpreters(t)[0]
	dir := t.TempDir()
	firmware := filepath.Join(dir, "firmware")
	require.NoError(t, os.Mkdir(firmware, 0o700))
	marker := filepath.Join(firmware, firmwareMarker)
	require.NoError(t, os.WriteFile(marker, []byte("# test firmware\n"), 0o600))
	script := filepath.Join(dir, "watched.py")
	require.NoError(t, os.WriteFile(script, []byte("import sys\nsys.exit(4)\n"), 0o600))
	r, err := New(Config{Firmware: firmware, Script: script, Python: python, Watch: true,
		WatchInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = r.Run(ctx)
	}()
	waitStatus(t, r, func(st emulator.Status) bool { return st.State == "exited with code 4" })

	// Later modification times, whatever the file system's resolution.
	touch := func(path string, data []byte, later time.Duration) {
		require.NoError(t, os.WriteFile(path, data, 0o600))
		at := time.Now().Add(later)
		require.NoError(t, os.Chtimes(path, at, at))
	}
	touch(script, []byte("import sys\nsys.exit(5)\n"), 2*time.Second)
	waitStatus(t, r, func(st emulator.Status) bool { return st.State == "exited with code 5" && st.Reloads >= 1 })
	reloads := r.Status().Reloads
	touch(marker, []byte("# test firmware, edited\n"), 4*time.Second)
	waitStatus(t, r, func(st emulator.Status) bool { return st.State == "exited with code 5" && st.Reloads > reloads })
	cancel()
	<-done
}

func waitStatus(t *testing.T, r *Runner, cond func(emulator.Status) bool) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		changed := r.StatusChanged()
		if cond(r.Status()) {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("status never matched; last %+v", r.Status())
		}
	}
}

func TestSetupErrors(t *testing.T) {
	fw := filepath.Join("testdata", "firmware")
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no firmware flag", Config{Script: "x.py"}, "no firmware"},
		{"missing firmware", Config{Firmware: "testdata/nowhere", Script: "x.py"}, "no such folder"},
		{"folder without firmware", Config{Firmware: "testdata/scripts", Script: "x.py"}, "has no EuroPi firmware"},
		{"missing script file", Config{Firmware: fw, Script: "testdata/scripts/none.py"}, "no such script file"},
		{"unknown module", Config{Firmware: fw, Script: "contrib.nothing_here"}, "no module of that name"},
		{"no interpreter", Config{Firmware: fw, Script: "testdata/scripts/exits.py", Python: "no-such-python-here"}, `interpreter "no-such-python-here" not found`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.cfg)
			var se *SetupError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), c.want)
			assert.False(t, strings.Contains(err.Error(), "\n"), "one line: %q", err.Error())
		})
	}
}
