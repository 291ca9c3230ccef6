package upstream

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Config says what Start runs and how.
type Config struct {
	// Firmware is a EuroPi checkout: its root (the folder that holds
	// software/firmware) or its software/firmware folder.
	Firmware string
	// Python is the interpreter to run; "" means "python3". MicroPython's
	// unix port ("micropython") works too.
	Python string
	// App is the path of the EuroPi script to run, such as fixture.py or
	// software/contrib/http_control.py. Exactly one of App and AppSource
	// must be set.
	App string
	// AppSource is the script's source, used instead of App.
	AppSource []byte
	// Inputs is the initial state of the module's inputs: k1 and k2 are knob
	// positions from 0 to 1, ain is volts from 0 to 10, and din, b1 and b2
	// are 0 or 1. Missing inputs are 0.
	Inputs map[string]float64
	// Stderr, when set, gets a copy of everything the process writes to
	// its stderr, from another goroutine, until Stop returns.
	Stderr io.Writer
}

// inputRange is the accepted range of one input of Config.Inputs.
type inputRange struct {
	min, max float64
	digital  bool
}

// inputRanges follows the hardware: knobs read 0..1, the analogue input is
// clamped by the firmware to 0..10 V by default, and digital inputs are
// either low or high.
var inputRanges = map[string]inputRange{
	"k1":  {0, 1, false},
	"k2":  {0, 1, false},
	"ain": {0, 10, false},
	"din": {0, 1, true},
	"b1":  {0, 1, true},
	"b2":  {0, 1, true},
}

// firmwareMarker is the file whose presence shows a folder is a usable
// EuroPi checkout.
const firmwareMarker = "software/firmware/experimental/http_server.py"

// CheckoutRoot returns the root of the EuroPi checkout dir names: dir
// itself, or the checkout whose software/firmware folder dir is (both
// forms are accepted wherever a checkout is asked for). It fails unless
// the checkout holds upstream's software/firmware/experimental/http_server.py.
func CheckoutRoot(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("upstream: no EuroPi checkout given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("upstream: %w", err)
	}
	_, errRoot := os.Stat(filepath.Join(abs, filepath.FromSlash(firmwareMarker)))
	if errRoot == nil {
		return abs, nil
	}
	if up := filepath.Dir(filepath.Dir(abs)); filepath.Join(up, "software", "firmware") == abs {
		if _, err := os.Stat(filepath.Join(up, filepath.FromSlash(firmwareMarker))); err == nil {
			return up, nil
		}
	}
	return "", fmt.Errorf("upstream: %s is not a EuroPi checkout or its software/firmware folder: %w", dir, errRoot)
}

// firmwareDir returns the folder that goes on the interpreter's path, or an
// error saying why dir names no EuroPi checkout.
func firmwareDir(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("upstream: Config.Firmware is empty; it must name a EuroPi checkout")
	}
	root, err := CheckoutRoot(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "software", "firmware"), nil
}

// appSource returns the script's source and the folder it came from ("" for
// AppSource), checking that exactly one of App and AppSource is set.
func (c *Config) appSource() (src []byte, dir string, err error) {
	switch {
	case c.App != "" && len(c.AppSource) > 0:
		return nil, "", errors.New("upstream: set Config.App or Config.AppSource, not both")
	case c.App != "":
		src, err := os.ReadFile(c.App)
		if err != nil {
			return nil, "", fmt.Errorf("upstream: reading the script: %w", err)
		}
		dir, err := filepath.Abs(filepath.Dir(c.App))
		if err != nil {
			return nil, "", fmt.Errorf("upstream: %w", err)
		}
		return src, dir, nil
	case len(c.AppSource) > 0:
		return c.AppSource, "", nil
	default:
		return nil, "", errors.New("upstream: no script: set Config.App or Config.AppSource")
	}
}

// checkInputs reports the first input that the hardware could not have,
// naming it, so a typo such as "cv1" or "k3" is not silently ignored.
func checkInputs(inputs map[string]float64) error {
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := inputs[name]
		r, ok := inputRanges[name]
		if !ok {
			return fmt.Errorf("upstream: unknown input %q (known: ain, b1, b2, din, k1, k2)", name)
		}
		if math.IsNaN(v) || v < r.min || v > r.max {
			return fmt.Errorf("upstream: input %s = %v is outside %v..%v", name, v, r.min, r.max)
		}
		if r.digital && v != 0 && v != 1 {
			return fmt.Errorf("upstream: input %s = %v must be 0 or 1", name, v)
		}
	}
	return nil
}

// interpreter returns the configured interpreter, defaulting to python3.
func (c *Config) interpreter() string {
	if strings.TrimSpace(c.Python) == "" {
		return "python3"
	}
	return c.Python
}
