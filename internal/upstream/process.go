package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/europi-http/europi-http/internal/procgroup"
)

// DefaultReadyTimeout bounds how long Start waits for the script to listen
// when its context has no deadline.
const DefaultReadyTimeout = 10 * time.Second

// stopGrace is how long Stop waits after SIGTERM before it kills.
const stopGrace = 5 * time.Second

// portAttempts is how many ports Start tries when the one it picked was
// taken before the script could bind it.
const portAttempts = 3

const (
	readyPrefix  = "READY "
	escapePrefix = "ESCAPED: "
)

// errPortTaken marks a start that failed only because the port was taken.
var errPortTaken = errors.New("port taken")

// Process is one running upstream server. Its methods are safe for
// concurrent use.
type Process struct {
	cmd  *exec.Cmd
	addr string
	dir  string

	ready chan struct{} // closed when the READY line arrives
	done  chan struct{} // closed once the process is reaped
	// waitErr is written before done is closed and only read after.
	waitErr error

	mu       sync.Mutex
	escapes  []string
	escaped  chan struct{} // closed and replaced on each new escape
	stderr   tail
	readyOne sync.Once

	stopOnce sync.Once
	stopErr  error
}

// Pid returns the interpreter's process id, for reading its memory use
// from /proc.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Start runs cfg's script with upstream's http_server.py on a free loopback
// port and returns once the server listens. ctx bounds only the start (its
// deadline, or DefaultReadyTimeout when it has none): the process runs until
// Stop. A script that fails to import, raises in its constructor, has no
// HttpServer, or never gets ready gives an error that ends with the
// process's stderr.
func Start(ctx context.Context, cfg Config) (*Process, error) {
	fw, err := firmwareDir(cfg.Firmware)
	if err != nil {
		return nil, err
	}
	src, appDir, err := cfg.appSource()
	if err != nil {
		return nil, err
	}
	if err := checkInputs(cfg.Inputs); err != nil {
		return nil, err
	}
	python, err := exec.LookPath(cfg.interpreter())
	if err != nil {
		return nil, fmt.Errorf("upstream: interpreter %q: %w", cfg.interpreter(), err)
	}
	inputs := cfg.Inputs
	if inputs == nil {
		inputs = map[string]float64{}
	}
	inputsJSON, err := json.Marshal(inputs)
	if err != nil {
		return nil, fmt.Errorf("upstream: encoding inputs: %w", err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultReadyTimeout)
		defer cancel()
	}

	for attempt := 1; ; attempt++ {
		p, err := startOnce(ctx, cfg, python, fw, appDir, src, string(inputsJSON))
		if errors.Is(err, errPortTaken) && attempt < portAttempts && ctx.Err() == nil {
			continue
		}
		return p, err
	}
}

// startOnce starts the process on one freshly picked port.
func startOnce(ctx context.Context, cfg Config, python, fw, appDir string, src []byte, inputs string) (*Process, error) {
	dir, err := os.MkdirTemp("", "europi-upstream-")
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	if err := writeShims(dir, src); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}

	p := &Process{
		addr:    "127.0.0.1:" + strconv.Itoa(port),
		dir:     dir,
		ready:   make(chan struct{}),
		done:    make(chan struct{}),
		escaped: make(chan struct{}),
	}
	stdout := &lineWriter{onLine: p.stdoutLine}
	stderr := &lineWriter{onLine: p.stderrLine, copyTo: cfg.Stderr}

	cmd := exec.Command(python, filepath.Join(dir, runnerFile),
		dir, fw, appModule, appDir, strconv.Itoa(port), inputs)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		// No __pycache__ in the user's checkout.
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONUNBUFFERED=1",
		"PYTHONIOENCODING=utf-8",
	)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	// Its own group, so Stop reaches anything it started; and if this
	// test process dies without calling Stop, so does the server.
	procgroup.Prepare(cmd)
	// Output pipes held open by a stray grandchild must not hang Wait.
	cmd.WaitDelay = 2 * time.Second
	p.cmd = cmd

	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("upstream: starting %s: %w", python, err)
	}
	go func() {
		err := cmd.Wait()
		stdout.flush()
		stderr.flush()
		p.waitErr = err
		close(p.done)
	}()

	select {
	case <-p.ready:
		return p, nil
	case <-p.done:
		_ = os.RemoveAll(dir)
		err := fmt.Errorf("upstream: %s exited before it was ready (%v)%s", filepath.Base(python), p.waitErr, p.stderrTail())
		if p.portWasTaken() {
			err = fmt.Errorf("%w: %w", errPortTaken, err)
		}
		return nil, err
	case <-ctx.Done():
		tailText := p.stderrTail()
		_ = p.Stop()
		return nil, fmt.Errorf("upstream: %s not ready on %s: %w%s", filepath.Base(python), p.addr, ctx.Err(), tailText)
	}
}

// Addr returns the address the server listens on, "127.0.0.1:PORT".
func (p *Process) Addr() string { return p.addr }

// Escapes returns, oldest first, each exception that escaped
// check_requests() so far, as "<type>: <message>". On a device each of them
// would have ended the script; the runner reports it and keeps serving.
func (p *Process) Escapes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.escapes...)
}

// WaitEscapes waits until at least n exceptions have escaped
// check_requests() and returns them all, or fails when ctx ends or the
// process exits first. The runner reports an escape on stderr, which is read
// concurrently with the socket, so a test uses this rather than Escapes right
// after the request that caused it.
func (p *Process) WaitEscapes(ctx context.Context, n int) ([]string, error) {
	for {
		p.mu.Lock()
		if len(p.escapes) >= n {
			got := append([]string(nil), p.escapes...)
			p.mu.Unlock()
			return got, nil
		}
		next := p.escaped
		have := len(p.escapes)
		p.mu.Unlock()

		select {
		case <-next:
		case <-p.done:
			return p.Escapes(), fmt.Errorf("upstream: process exited with %d of %d escapes", have, n)
		case <-ctx.Done():
			return p.Escapes(), fmt.Errorf("upstream: %d of %d escapes: %w", have, n, ctx.Err())
		}
	}
}

// Stop ends the process: SIGTERM to its process group, SIGKILL if it has not
// exited after a grace period, then it waits for the process, ends what is
// left of its group and removes the temporary folder. It is safe to call more than once; later calls return
// the first result. It reports an error when the process had died on its
// own, or had to be killed.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() { p.stopErr = p.stop() })
	return p.stopErr
}

func (p *Process) stop() error {
	defer func() { _ = os.RemoveAll(p.dir) }()

	pid := p.cmd.Process.Pid
	ending, err := procgroup.Stop(p.cmd, p.done, stopGrace)
	switch {
	case err != nil:
		return err
	case ending == procgroup.Exited:
		return fmt.Errorf("upstream: the process had already exited (%v)%s", p.waitErr, p.stderrTail())
	case ending == procgroup.Killed:
		return fmt.Errorf("upstream: process %d ignored SIGTERM for %v and was killed%s", pid, stopGrace, p.stderrTail())
	}
	if err := p.waitErr; err != nil && !terminatedBySIGTERM(err) {
		return fmt.Errorf("upstream: process %d stopped badly: %w%s", pid, err, p.stderrTail())
	}
	return nil
}

// terminatedBySIGTERM reports an exit caused by the SIGTERM itself, which is
// how MicroPython (which has no signal module) stops.
func terminatedBySIGTERM(err error) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return false
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM
}

func (p *Process) stdoutLine(line string) {
	if addr, ok := strings.CutPrefix(line, readyPrefix); ok && addr == p.addr {
		p.readyOne.Do(func() { close(p.ready) })
	}
}

func (p *Process) stderrLine(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stderr.add(line)
	if escape, ok := strings.CutPrefix(line, escapePrefix); ok {
		p.escapes = append(p.escapes, escape)
		close(p.escaped)
		p.escaped = make(chan struct{})
	}
}

func (p *Process) stderrTail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// portWasTaken reports whether the script failed to bind because another
// program took the port first (CPython and MicroPython word it differently).
func (p *Process) portWasTaken() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range p.stderr.lines {
		if strings.Contains(line, "EADDRINUSE") || strings.Contains(line, "Address already in use") {
			return true
		}
	}
	return false
}
