package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
	"github.com/europi-http/europi-http/internal/upstream"
)

// readyTimeout bounds how long a started server may take to answer.
const readyTimeout = 15 * time.Second

var (
	emulatorReady = regexp.MustCompile(`serving .* on http://(\S+?)/`)
	peerReady     = regexp.MustCompile(`serving on http://(\S+?)/`)
)

// benchRequest is what every run sends: the same request to every server.
var benchRequest = []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\n\r\n")

// running is a server under measurement.
type running struct {
	addr string
	pid  int
	stop func() error
}

// moduleRoot returns the folder of the go.mod that go commands here use.
func moduleRoot(goCmd string) (string, error) {
	out, err := exec.Command(goCmd, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the europi-http module: run benchtable from its root")
	}
	return filepath.Dir(mod), nil
}

// goBuild builds pkg (relative to root) into dir and returns the binary's
// path, or an error carrying the compiler's last lines.
func goBuild(goCmd, root, pkg, dir string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command(goCmd, "build", "-o", bin, pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) > 6 {
			lines = append(lines[:6], "...")
		}
		return "", fmt.Errorf("go build %s: %v\n  %s", pkg, err, strings.Join(lines, "\n  "))
	}
	return bin, nil
}

// startBinary starts a server binary and waits until it answers, returning
// its first response too.
func startBinary(ctx context.Context, path string, args []string, ready *regexp.Regexp) (*running, []byte, error) {
	p, err := startProc(path, args, ready, startTimeout)
	if err != nil {
		return nil, nil, err
	}
	// Load goes to loopback only, whatever -emulator-args said.
	if !loadgen.IsLoopback(p.addr) {
		_ = p.stop()
		return nil, nil, fmt.Errorf("%s listens on %s, not loopback", filepath.Base(path), p.addr)
	}
	first, err := waitAnswer(ctx, p.addr)
	if err != nil {
		_ = p.stop()
		return nil, nil, fmt.Errorf("%s on %s: %w%s", filepath.Base(path), p.addr, err, p.stderr.suffix())
	}
	return &running{addr: p.addr, pid: p.pid(), stop: p.stop}, first, nil
}

// startUpstream runs upstream's http_server.py under python3 with a script
// that sends resp.
func startUpstream(ctx context.Context, firmware string, resp []byte) (*running, []byte, error) {
	app, err := pythonApp(resp)
	if err != nil {
		return nil, nil, err
	}
	startCtx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	p, err := upstream.Start(startCtx, upstream.Config{Firmware: firmware, AppSource: app})
	if err != nil {
		return nil, nil, err
	}
	pid := p.Pid()
	first, err := waitAnswer(ctx, p.Addr())
	if err != nil {
		_ = p.Stop()
		return nil, nil, err
	}
	return &running{addr: p.Addr(), pid: pid, stop: p.Stop}, first, nil
}

// waitAnswer fetches GET / until the server answers completely, and
// returns that answer.
func waitAnswer(ctx context.Context, addr string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	retry := time.NewTicker(20 * time.Millisecond)
	defer retry.Stop()
	for {
		resp, err := loadgen.Fetch(ctx, addr, benchRequest, time.Second)
		if err == nil {
			return resp, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no complete answer within %v: %w", readyTimeout, err)
		case <-retry.C:
		}
	}
}

// sameBytes returns "" when got is want, else a note saying how they differ.
func sameBytes(name string, got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%s sends different bytes: %d bytes instead of %d, first difference at byte %d", name, len(got), len(want), i)
}
