package pyrun

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/broadcast"
)

// Config says which script a Runner runs, on which firmware and
// interpreter.
type Config struct {
	// Firmware is a EuroPi checkout: its root or its software/firmware.
	Firmware string
	// Script is a .py file, or a module name inside the checkout such as
	// contrib.http_control.
	Script string
	// Python is the interpreter: "micropython", "python3" or a path; ""
	// means DefaultPython.
	Python string
	// IO is the panel; nil means emulator.NewIO(). It outlives restarts.
	IO *emulator.IO
	// Watch restarts the interpreter when the script or the firmware
	// changes, and waits for an edit after the script has ended.
	Watch bool
	// Logger gets the interpreter's output, line by line, and the run's
	// notices; nil discards them.
	Logger *log.Logger
	// DevicePort is the loopback port the script's HTTP server binds; 0
	// picks a free one.
	DevicePort int
	// WatchInterval is how often Watch looks for changes; 0 means
	// DefaultWatchInterval.
	WatchInterval time.Duration
}

// DefaultWatchInterval is how often a watching run looks for edits.
const DefaultWatchInterval = 300 * time.Millisecond

// Runner runs one EuroPi script under a real interpreter against the
// emulator's panel. It is a dashboard's source: IO and Status.
type Runner struct {
	cfg                      Config
	firmware, script, python string
	panel                    *emulator.IO
	logger                   *log.Logger
	devicePort               int
	dir, standins            string

	mu            sync.Mutex
	status        emulator.Status
	statusChanged broadcast.Signal
	askedPort     int
	irqs          map[int]int // pin → trigger of the irq handlers set
}

// New checks cfg (the firmware, the script, the interpreter: a problem is
// a *SetupError) and prepares the run's folder, which is the module's
// flash: the firmware's state and configuration files go there. Close
// removes it.
func New(cfg Config) (*Runner, error) {
	fw, err := FirmwareDir(cfg.Firmware)
	if err != nil {
		return nil, err
	}
	script, err := ScriptFile(cfg.Script, fw)
	if err != nil {
		return nil, err
	}
	python, err := Interpreter(cfg.Python)
	if err != nil {
		return nil, err
	}
	r := &Runner{cfg: cfg, firmware: fw, script: script, python: python, panel: cfg.IO, logger: cfg.Logger, devicePort: cfg.DevicePort}
	if r.panel == nil {
		r.panel = emulator.NewIO()
	}
	if r.logger == nil {
		r.logger = log.New(io.Discard, "", 0)
	}
	if r.devicePort == 0 {
		if r.devicePort, err = freePort(); err != nil {
			return nil, err
		}
	}
	if r.dir, err = os.MkdirTemp("", "europi-run-"); err != nil {
		return nil, fmt.Errorf("pyrun: %w", err)
	}
	r.standins = filepath.Join(r.dir, "standins")
	flash := filepath.Join(r.dir, "flash")
	if err := writeStandins(r.standins); err != nil {
		r.Close()
		return nil, err
	}
	if err := writeDeviceConfig(flash); err != nil {
		r.Close()
		return nil, err
	}
	r.status = emulator.Status{Script: cfg.Script, Watch: cfg.Watch}
	return r, nil
}

// writeDeviceConfig writes the module's configuration into its flash: a
// Pico W, so the firmware brings its wifi up.
func writeDeviceConfig(flash string) error {
	if err := os.MkdirAll(filepath.Join(flash, "config"), 0o700); err != nil {
		return fmt.Errorf("pyrun: %w", err)
	}
	cfg := []byte(`{"PICO_MODEL": "pico w"}` + "\n")
	if err := os.WriteFile(filepath.Join(flash, "config", "EuroPiConfig.json"), cfg, 0o600); err != nil {
		return fmt.Errorf("pyrun: %w", err)
	}
	return nil
}

// freePort finds a free loopback port for the script's server.
func freePort() (int, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pyrun: finding a free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Close removes the run's folder. Call it after Run has returned.
func (r *Runner) Close() {
	if r.dir != "" {
		_ = os.RemoveAll(r.dir)
	}
}

// IO returns the panel.
func (r *Runner) IO() *emulator.IO { return r.panel }

// DeviceAddr is where the script's HTTP server listens, for a relay.
func (r *Runner) DeviceAddr() string { return "127.0.0.1:" + strconv.Itoa(r.devicePort) }

// ScriptFile is the script's file.
func (r *Runner) ScriptFile() string { return r.script }

// Interpreter is the interpreter's path.
func (r *Runner) Interpreter() string { return r.python }

// FlashDir is the folder that stands in for the module's flash: the
// interpreter's working folder, where state files land.
func (r *Runner) FlashDir() string { return filepath.Join(r.dir, "flash") }

// Status returns the script, its restarts, what the interpreter is doing
// and the traceback that ended it, if one did.
func (r *Runner) Status() emulator.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// StatusChanged returns a channel closed at the status's next change.
func (r *Runner) StatusChanged() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.statusChanged.Wait()
}

// setStatus changes the status under the lock and wakes its watchers.
func (r *Runner) setStatus(change func(st *emulator.Status)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	change(&r.status)
	r.statusChanged.Notify()
}

// DevicePortAsked is the port the script's server asked for (80 for
// upstream's HttpServer()), 0 until it has bound.
func (r *Runner) DevicePortAsked() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.askedPort
}

// IRQTrigger returns the trigger of the irq handler the script has set on
// GPIO pin (Pin.IRQ_FALLING 4, Pin.IRQ_RISING 8, or both), 0 when none is
// set; a change wakes StatusChanged. An input that changes before the
// script has set its handler fires nothing, as on the module, so a test
// waits for it.
func (r *Runner) IRQTrigger(pin int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.irqs[pin]
}
