package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/fixture"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/server"
)

// escapeLog records where the emulated device script would have stopped,
// so the emulator target reports escapes as upstream's harness does.
type escapeLog struct{ conformance.EscapeLog }

func newEscapeLog() *escapeLog { return &escapeLog{} }

// record is the server's OnRequest hook.
func (l *escapeLog) record(r server.RequestLog) {
	if r.Outcome != server.OutcomeScriptStopped {
		return
	}
	l.Add(escapeText(r.Err))
}

// escapeText names an escape as upstream's harness does, "<type>: <message>",
// with the Python exception a Go socket error stands for, so the scenarios'
// escape-like patterns fit both.
func escapeText(err error) string {
	switch {
	case errors.Is(err, syscall.EPIPE):
		return "BrokenPipeError: " + err.Error()
	case errors.Is(err, syscall.ECONNRESET):
		return "ConnectionResetError: " + err.Error()
	}
	return "OSError: " + fmt.Sprint(err)
}

// emulatorTarget starts the emulator serving the fixture's Starlark twin on
// a free loopback port, copying rt's differences, with its listener
// wrapped in the device profile p as serve wraps it, and returns it as a
// target that reports escapes and (under a device profile) what the
// profile's rules did.
func emulatorTarget(ctx context.Context, rt server.Runtime, p *profile.Profile) (conformance.Target, func(), error) {
	// The emulator loads scripts from files; the fixture is embedded.
	dir, err := os.MkdirTemp("", "europi-conform-")
	if err != nil {
		return conformance.Target{}, nil, err
	}
	script := filepath.Join(dir, "fixture.star")
	if err := os.WriteFile(script, fixture.Starlark, 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return conformance.Target{}, nil, err
	}
	escapes := newEscapeLog()
	emu, err := emulator.New(emulator.Config{ScriptPath: script, Runtime: rt,
		Configure: func(s *server.HttpServer) { s.OnRequest = escapes.record }})
	if err != nil {
		_ = os.RemoveAll(dir)
		return conformance.Target{}, nil, fmt.Errorf("loading the fixture: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		_ = os.RemoveAll(dir)
		return conformance.Target{}, nil, err
	}
	events := &profileLog{}
	ln = p.Wrap(ln, events.record)
	serveCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = emu.Serve(serveCtx, ln)
	}()
	stop := func() {
		cancel()
		<-done
		_ = ln.Close()
		_ = os.RemoveAll(dir)
	}
	t := conformance.Target{Name: emulatorName(p), Addr: ln.Addr().String(),
		Labels: profileLabels([]string{"emulator", rt.String()}, p), Escapes: escapes, KeepsServing: true}
	if p.Name != profile.Host {
		t.Profile, t.ProfileEvents = p.Label(), events
	}
	return t, stop, nil
}
