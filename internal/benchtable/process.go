package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/europi-http/europi-http/internal/procgroup"
)

// startTimeout bounds how long a server may take to print its address.
const startTimeout = 15 * time.Second

// stopGrace is how long a server gets to exit after SIGTERM.
const stopGrace = 5 * time.Second

// proc is one server process started by benchtable.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	done   chan struct{} // closed once the process is reaped
	err    error         // Wait's result, read after done
	stderr *tail
}

// startProc runs path with args and waits up to timeout until a line of
// its stdout matches ready, whose first group is the address it serves on.
func startProc(path string, args []string, ready *regexp.Regexp, timeout time.Duration) (*proc, error) {
	cmd := exec.Command(path, args...)
	procgroup.Prepare(cmd) // its own group, and no orphan if benchtable dies
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{}), stderr: &tail{}}
	// A server logging every request must never block on a full pipe.
	cmd.Stderr = p.stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addrCh <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case p.addr = <-addrCh:
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("%s exited before it was ready (%v)%s", path, p.err, p.stderr.suffix())
	case <-timer.C:
		_ = p.stop()
		return nil, fmt.Errorf("%s printed no address within %v%s", path, timeout, p.stderr.suffix())
	}
}

// pid returns the process id.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends its process group SIGTERM, then SIGKILL after stopGrace,
// and waits.
func (p *proc) stop() error {
	ending, err := procgroup.Stop(p.cmd, p.done, stopGrace)
	switch {
	case err != nil:
		return fmt.Errorf("pid %d: %w", p.pid(), err)
	case ending == procgroup.Exited:
		return fmt.Errorf("the process had already exited (%v)%s", p.err, p.stderr.suffix())
	case ending == procgroup.Killed:
		return fmt.Errorf("pid %d ignored SIGTERM for %v and was killed", p.pid(), stopGrace)
	}
	return nil
}

// tail keeps the last lines a process wrote, for error messages.
type tail struct {
	mu    sync.Mutex
	lines []string
	part  []byte
}

const tailLines = 8

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.part = append(t.part, p...)
	end := bytes.LastIndexByte(t.part, '\n')
	if end >= 0 {
		// Only the last tailLines lines are kept: skip to them rather than
		// splitting a busy server's whole log.
		start := end
		for n := 0; n < tailLines && start > 0; n++ {
			start = bytes.LastIndexByte(t.part[:start], '\n')
		}
		for _, line := range bytes.Split(t.part[start+1:end], []byte("\n")) {
			t.lines = append(t.lines, string(line))
		}
		if len(t.lines) > tailLines {
			t.lines = append(t.lines[:0], t.lines[len(t.lines)-tailLines:]...)
		}
		t.part = append(t.part[:0], t.part[end+1:]...)
	}
	if len(t.part) > 4096 {
		t.part = t.part[:0] // a line this long is noise, not a diagnosis
	}
	return len(p), nil
}

// suffix returns ": " and the last lines, or "" when there are none.
func (t *tail) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return ""
	}
	return ":\n  " + strings.Join(t.lines, "\n  ")
}

// peakRSS returns a process's peak resident set size in bytes, from VmHWM
// in /proc/PID/status.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	return parseVmHWM(string(b))
}

// parseVmHWM reads the VmHWM line of a /proc/PID/status text.
func parseVmHWM(status string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmHWM line %q", line)
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected VmHWM line %q", line)
		}
		return kb << 10, nil
	}
	return 0, errors.New("no VmHWM line in /proc/PID/status")
}
