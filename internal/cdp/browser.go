package cdp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvBrowser names an environment variable that, when set, is the browser
// to run instead of the first of Candidates found on PATH.
const EnvBrowser = "EUROPI_CHROMIUM"

// Candidates are the browser commands Find looks for, Debian's first.
var Candidates = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}

// Find returns the browser to run: $EUROPI_CHROMIUM if set, else the first
// of Candidates on PATH. Its error is one line, fit for a test's skip
// message.
func Find() (string, error) {
	if p := os.Getenv(EnvBrowser); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s is not an executable: %v", EnvBrowser, p, err)
		}
		return p, nil
	}
	for _, name := range Candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium on PATH (tried %s; set %s or install Debian's chromium)", strings.Join(Candidates, ", "), EnvBrowser)
}

// Flags are the command-line flags Launch passes besides the profile
// folder and the DevTools port: headless, no sandbox (tests often run as
// root), and nothing that reaches the network on its own.
var Flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
	"--remote-allow-origins=" + Origin,
}

// Browser is a running headless Chromium and a DevTools connection to it.
type Browser struct {
	*Conn
	cmd    *exec.Cmd
	stderr *tailWriter
	exited chan struct{}
}

// Launch starts the browser at path with a fresh profile in profileDir,
// which the caller owns and removes after Close. It returns once DevTools
// answers, or fails when ctx ends first.
func Launch(ctx context.Context, path, profileDir string) (*Browser, error) {
	args := append(append([]string{}, Flags...),
		"--user-data-dir="+profileDir, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
	cmd := exec.Command(path, args...)
	// Its own process group, so Close can end the renderers and helpers
	// Chromium forks along with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	tail := newTailWriter()
	cmd.Stdout, cmd.Stderr = tail, tail
	// Helpers that inherited the pipe must not keep Wait from returning.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cdp: starting %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, stderr: tail, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(b.exited)
	}()

	var url string
	select {
	case url = <-tail.devtools:
	case <-b.exited:
		b.kill()
		return nil, fmt.Errorf("cdp: %s exited before DevTools listened: %s", path, tail.String())
	case <-ctx.Done():
		b.kill()
		return nil, fmt.Errorf("cdp: %s did not start DevTools: %w; it said: %s", path, ctx.Err(), tail.String())
	}
	conn, err := Dial(ctx, url)
	if err != nil {
		b.kill()
		return nil, err
	}
	b.Conn = conn
	return b, nil
}

// Close kills the browser and its helpers and waits until they have
// exited. Its profile is thrown away, so there is nothing to shut down
// gracefully, and the browser is gone afterwards whatever happened.
func (b *Browser) Close() {
	b.kill()
	_ = b.Conn.Close()
}

// kill ends the browser's process group and waits for the browser, then
// (briefly) for its helpers: SIGKILL is delivered asynchronously, and a
// profile folder removed under a dying helper can fail to go.
func (b *Browser) kill() {
	pgid := b.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-b.exited
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for syscall.Kill(-pgid, 0) == nil {
		select {
		case <-tick.C:
		case <-deadline.C:
			return // zombies nobody reaps; they hold no files
		}
	}
}

// Output returns the end of what the browser printed, for a failing
// test's message.
func (b *Browser) Output() string { return b.stderr.String() }

// devtoolsPrefix starts the line Chromium prints once DevTools listens.
const devtoolsPrefix = "DevTools listening on "

// tailWriter keeps the last lines the browser printed and reports the
// DevTools URL once it appears.
type tailWriter struct {
	mu       sync.Mutex
	partial  []byte
	lines    []string
	found    bool
	devtools chan string
}

const tailLines = 30

func newTailWriter() *tailWriter { return &tailWriter{devtools: make(chan string, 1)} }

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(w.partial[:i]), "\r")
		w.partial = w.partial[i+1:]
		if url, ok := strings.CutPrefix(line, devtoolsPrefix); ok && !w.found {
			w.found = true
			w.devtools <- strings.TrimSpace(url)
		}
		w.lines = append(w.lines, line)
		if len(w.lines) > tailLines {
			w.lines = w.lines[1:]
		}
	}
	return len(p), nil
}

// String returns the kept lines.
func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}
