package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// childEnv names what this test binary does when a test runs it as a child
// process: "main" runs the command line (os.Args), "interrupt" the
// signal-handling probe below.
const childEnv = "EUROPI_HTTP_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "main":
		main()
	case "interrupt":
		interruptProbe()
	}
	os.Exit(m.Run())
}

// interruptProbe stands in for a command whose clean stop is stuck: it
// says when it is ready and when its context ended, and then never
// returns.
func interruptProbe() {
	ctx, _ := interruptContext()
	fmt.Println("ready")
	<-ctx.Done()
	fmt.Println("stopping")
	select {}
}

// child is a child process of this test binary, with its output as lines.
type child struct {
	cmd   *exec.Cmd
	lines chan string
	done  chan struct{} // closed when the process has exited
	err   error         // its Wait error, once done
}

// startChild runs this test binary as mode with args, reading its
// standard output and error together. It kills the child at the end of
// the test if it is still running.
func startChild(t *testing.T, mode string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, lines: make(chan string, 1000), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case c.lines <- sc.Text():
			default: // nobody reads that far
			}
		}
		close(c.lines)
	}()
	go func() {
		c.err = cmd.Wait()
		_ = w.Close()
		close(c.done)
	}()
	t.Cleanup(func() {
		if !c.exited() {
			_ = cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// waitLine returns the first line of output that contains want, failing
// the test after timeout or when the output ends.
func (c *child) waitLine(t *testing.T, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				t.Fatalf("the child's output ended without a line containing %q", want)
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline:
			t.Fatalf("no line containing %q within %s", want, timeout)
		}
	}
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// waitExit waits up to timeout for the child to exit and reports whether
// it did.
func (c *child) waitExit(timeout time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(timeout):
		return false
	}
}

func (c *child) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(sig))
}
