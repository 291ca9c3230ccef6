package pyrun

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithoutThread: under an interpreter without _thread, the stand-ins
// read the channel whenever the script reads an input, so the knob, the
// button's irq handler (every edge, in order), the CVs and the OLED work
// as with a reader thread; machine.Timer, which needs a thread, says so.
func TestWithoutThread(t *testing.T) {
	for _, python := range interpreters(t) {
		t.Run(python, func(t *testing.T) {
			interpreter := withoutThread(t, python)
			fw := filepath.Join("testdata", "firmware")
			t.Run("panel", func(t *testing.T) {
				tr := startConfig(t, Config{Firmware: fw, Script: filepath.Join("testdata", "scripts", "panel.py"), Python: interpreter})
				waitLog(t, tr, "europi-http test: _thread hidden")
				checkPanel(t, tr, filepath.Base(interpreter))
			})
			t.Run("timer", func(t *testing.T) {
				tr := startConfig(t, Config{Firmware: fw, Script: filepath.Join("testdata", "scripts", "timer.py"), Python: interpreter})
				code, err := tr.wait(t)
				require.NoError(t, err)
				assert.Equal(t, 1, code)
				assert.Contains(t, tr.Status().Error, "machine.Timer needs _thread in this interpreter")
			})
		})
	}
}

// withoutThread writes an executable that runs python with
// testdata/without_thread.py ahead of the bootstrap, and returns its path.
func withoutThread(t *testing.T, python string) string {
	t.Helper()
	path, err := exec.LookPath(python)
	require.NoError(t, err)
	bootstrap, err := filepath.Abs(filepath.Join("testdata", "without_thread.py"))
	require.NoError(t, err)
	wrapper := filepath.Join(t.TempDir(), python+"-without-thread")
	script := fmt.Sprintf("#!/bin/sh\nexec %s %s \"$@\"\n", shellQuote(path), shellQuote(bootstrap))
	require.NoError(t, os.WriteFile(wrapper, []byte(script), 0o755))
	return wrapper
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
