package cdp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/europi-http/europi-http/internal/procgroup"
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
// folder, the DevTools pipe and the sandbox: headless, and nothing that
// reaches the network on its own.
var Flags = []string{
	"--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
}

// noSandbox is the flag that turns Chromium's sandbox off.
const noSandbox = "--no-sandbox"

// sandboxFlags returns the sandbox flags for a browser run by user euid:
// none, so the renderers stay sandboxed, except as root, where Chromium
// refuses to start with its sandbox on.
func sandboxFlags(euid int) []string {
	if euid == 0 {
		return []string{noSandbox}
	}
	return nil
}

// noUsableSandbox is what Chromium says when the system gives its
// sandbox nothing to work with (no user namespaces, no setuid helper): the
// one other case where it must run without.
const noUsableSandbox = "No usable sandbox"

// Browser is a running headless Chromium and a DevTools connection to it.
type Browser struct {
	*Conn
	// Product is the browser's name and version, "Chrome/120.0.6099.71".
	Product string
	// Sandboxed reports whether the browser runs with its sandbox.
	Sandboxed bool
	cmd       *exec.Cmd
	stderr    *tailWriter
	exited    chan struct{}
}

// Launch starts the browser at path with a fresh profile in profileDir,
// which the caller owns and removes after Close, and drives it over a
// pair of pipes (--remote-debugging-pipe), so no DevTools port is open to
// other local users. The sandbox stays on unless the browser cannot run
// with it (as root, or where the system gives it no sandbox; then it is
// started again without). It returns once DevTools answers, or fails
// when ctx ends first.
func Launch(ctx context.Context, path, profileDir string) (*Browser, error) {
	extra := sandboxFlags(os.Geteuid())
	b, err := launch(ctx, path, profileDir, extra)
	if err != nil && len(extra) == 0 && strings.Contains(err.Error(), noUsableSandbox) {
		b, err = launch(ctx, path, profileDir, []string{noSandbox})
	}
	return b, err
}

// launch starts the browser once with the extra flags.
func launch(ctx context.Context, path, profileDir string, extra []string) (*Browser, error) {
	args := append(append(append([]string{}, Flags...), extra...),
		"--user-data-dir="+profileDir, "--remote-debugging-pipe", "about:blank")
	cmd := exec.Command(path, args...)
	// Its own process group, so Close can end the renderers and helpers
	// Chromium forks along with it; and no browser outlives a test binary
	// that dies without closing it.
	procgroup.Prepare(cmd)
	tail := newTailWriter()
	cmd.Stdout, cmd.Stderr = tail, tail
	// Helpers that inherited the pipe must not keep Wait from returning.
	cmd.WaitDelay = 2 * time.Second
	// The browser reads calls from its fd 3 and writes to its fd 4.
	callsR, callsW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cdp: %w", err)
	}
	answersR, answersW, err := os.Pipe()
	if err != nil {
		_, _ = callsR.Close(), callsW.Close()
		return nil, fmt.Errorf("cdp: %w", err)
	}
	cmd.ExtraFiles = []*os.File{callsR, answersW}
	err = cmd.Start()
	// The browser holds its ends now; ours would keep its exit from
	// showing as the end of the answers.
	_, _ = callsR.Close(), answersW.Close()
	if err != nil {
		_, _ = callsW.Close(), answersR.Close()
		return nil, fmt.Errorf("cdp: starting %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, stderr: tail, exited: make(chan struct{}), Sandboxed: !slices.Contains(extra, noSandbox)}
	go func() {
		_ = cmd.Wait()
		close(b.exited)
	}()
	b.Conn = newConn(newPipeTransport(callsW, answersR))

	var version struct {
		Product string `json:"product"`
	}
	if err := b.Call(ctx, "", "Browser.getVersion", struct{}{}, &version); err != nil {
		exited := false
		select {
		case <-b.exited:
			exited = true
		case <-time.After(time.Second): // an exit shows on the pipe first
		}
		b.Close()
		switch {
		case exited:
			return nil, fmt.Errorf("cdp: %s exited before DevTools answered: %s", path, tail.String())
		case ctx.Err() != nil:
			return nil, fmt.Errorf("cdp: %s did not answer DevTools: %w; it said: %s", path, ctx.Err(), tail.String())
		}
		return nil, err
	}
	b.Product = version.Product
	return b, nil
}

// Close kills the browser and its helpers and waits until they have
// exited. Its profile is thrown away, so there is nothing to shut down
// gracefully, and the browser is gone afterwards whatever happened.
func (b *Browser) Close() {
	b.kill()
	_ = b.Conn.Close()
}

// kill ends the browser's process group at once (there is nothing to
// shut down gracefully) and waits for the browser, then (briefly) for its
// helpers: a profile folder removed under a dying helper can fail to go.
func (b *Browser) kill() {
	_, _ = procgroup.Stop(b.cmd, b.exited, 0)
}

// Output returns the end of what the browser printed, for a failing
// test's message.
func (b *Browser) Output() string { return b.stderr.String() }

// tailWriter keeps the last lines the browser printed.
type tailWriter struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
}

const tailLines = 30

func newTailWriter() *tailWriter { return &tailWriter{} }

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
