package pyrun

import (
	"bufio"
	"errors"
	"io"
	"log"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/europi-http/europi-http/internal/procgroup"
)

// stopGrace is how long an interpreter has to end after SIGTERM before it
// is killed.
const stopGrace = 2 * time.Second

// maxLine caps one line of the interpreter's output kept or logged.
const maxLine = 16 << 10

// tailLines is how many lines of output are kept to find a traceback in.
const tailLines = 60

// process is one running interpreter, in a process group of its own so
// that stopping it reaches anything it started.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the process is reaped
	// err is Wait's result, written before done is closed.
	err error

	mu   sync.Mutex
	tail []string
}

// startProcess starts cmd with its output logged line by line.
func startProcess(cmd *exec.Cmd, logger *log.Logger) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	// Its own group, so stop reaches anything it started; and if
	// europi-http dies without stopping it, so does the interpreter.
	procgroup.Prepare(cmd)
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var readers sync.WaitGroup
	readers.Add(2)
	for _, r := range []io.Reader{stdout, stderr} {
		go func() {
			defer readers.Done()
			p.readLines(r, logger)
		}()
	}
	go func() {
		readers.Wait()
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// readLines logs every line of r and keeps the last ones.
func (p *process) readLines(r io.Reader, logger *log.Logger) {
	br := bufio.NewReaderSize(r, maxLine)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			text := strings.TrimRight(string(line), "\r\n")
			logger.Print(text)
			p.keep(text)
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}

func (p *process) keep(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tail = append(p.tail, line)
	if len(p.tail) > tailLines {
		p.tail = p.tail[len(p.tail)-tailLines:]
	}
}

// traceback returns the last traceback in the output, or its last lines
// when there is none.
func (p *process) traceback() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	start := max(0, len(p.tail)-5)
	for i := len(p.tail) - 1; i >= 0; i-- {
		if strings.HasPrefix(p.tail[i], "Traceback (most recent call last)") {
			start = i
			break
		}
	}
	return strings.Join(p.tail[start:], "\n")
}

// lastLine returns the output's last non-empty line.
func (p *process) lastLine() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.tail) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(p.tail[i]); s != "" {
			return s
		}
	}
	return "(no output)"
}

// exitCode is the interpreter's exit code once it has ended: its own, or
// 128 plus the signal that ended it, as a shell reports it.
func (p *process) exitCode() int {
	var exit *exec.ExitError
	if !errors.As(p.err, &exit) {
		if p.err != nil {
			return 1
		}
		return 0
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return exit.ExitCode()
}

// stop ends the process group: SIGTERM, then SIGKILL if the interpreter
// is still there after stopGrace, and anything the script started in its
// group and left behind goes too. It returns once the process is reaped.
func (p *process) stop() {
	_, _ = procgroup.Stop(p.cmd, p.done, stopGrace)
}
