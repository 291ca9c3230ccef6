package pyrun

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SetupError is bad input found before the interpreter runs, or a script
// that does not import: an interpreter that cannot be found, a folder
// without the firmware, a script that does not exist. Its message is one
// line for a person.
type SetupError struct {
	msg string
}

func (e *SetupError) Error() string { return e.msg }

func setupErrorf(format string, args ...any) error {
	return &SetupError{msg: fmt.Sprintf(format, args...)}
}

// firmwareMarker is the file whose presence shows a folder is EuroPi's
// firmware.
const firmwareMarker = "europi.py"

// FirmwareDir returns the absolute path of the firmware folder of dir, a
// EuroPi checkout's root or its software/firmware folder.
func FirmwareDir(dir string) (string, error) {
	if dir == "" {
		return "", setupErrorf("no firmware: give --firmware, a EuroPi checkout or its software/firmware folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", setupErrorf("--firmware %s: %v", dir, err)
	}
	for _, candidate := range []string{abs, filepath.Join(abs, "software", "firmware")} {
		if st, err := os.Stat(filepath.Join(candidate, firmwareMarker)); err == nil && st.Mode().IsRegular() {
			return candidate, nil
		}
	}
	if _, err := os.Stat(abs); err != nil {
		return "", setupErrorf("--firmware %s: no such folder", dir)
	}
	return "", setupErrorf("--firmware %s has no EuroPi firmware: want a checkout with software/firmware/europi.py, or that folder", dir)
}

// ScriptFile returns the absolute path of script: a .py file anywhere, or
// a module name inside the checkout such as contrib.http_control (looked
// up beside the firmware: software/contrib/http_control.py) or
// experimental.foo (inside the firmware).
func ScriptFile(script, firmware string) (string, error) {
	if script == "" {
		return "", setupErrorf("no script: give a .py file or a module name such as contrib.http_control")
	}
	if strings.HasSuffix(script, ".py") || strings.ContainsRune(script, os.PathSeparator) {
		abs, err := filepath.Abs(script)
		if err != nil {
			return "", setupErrorf("%s: %v", script, err)
		}
		st, err := os.Stat(abs)
		if err != nil || !st.Mode().IsRegular() {
			return "", setupErrorf("%s: no such script file", script)
		}
		return abs, nil
	}
	rel := filepath.FromSlash(strings.ReplaceAll(script, ".", "/")) + ".py"
	for _, root := range []string{filepath.Dir(firmware), firmware} {
		path := filepath.Join(root, rel)
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			return path, nil
		}
	}
	return "", setupErrorf("%s: no module of that name in %s (looked for %s there and in its firmware folder)", script, filepath.Dir(firmware), rel)
}

// DefaultPython is the interpreter run picks without --python: the
// MicroPython unix port when it is on PATH, else python3.
func DefaultPython() string {
	if _, err := exec.LookPath("micropython"); err == nil {
		return "micropython"
	}
	return "python3"
}

// Interpreter returns the path of the interpreter python names (a name on
// PATH or a path), "" meaning DefaultPython.
func Interpreter(python string) (string, error) {
	if python == "" {
		python = DefaultPython()
	}
	path, err := exec.LookPath(python)
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return "", setupErrorf("interpreter %q not found (install it, or give --python micropython, python3 or a path)", python)
		}
		return "", setupErrorf("interpreter %q: %v", python, err)
	}
	return path, nil
}
