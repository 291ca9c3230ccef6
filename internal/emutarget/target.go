package emutarget

import (
	"context"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/fixture"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/server"
)

// FixtureName is the name the fixture's Starlark twin runs under, in
// messages and the emulator's ScriptName.
const FixtureName = "fixture.star"

// Config says what the emulator target runs.
type Config struct {
	// Emulator is the emulator to start. When it names no script (no
	// ScriptPath, Example, Source, ScriptFS or ScriptName), it serves the
	// conformance fixture's Starlark twin. Its Configure, if set, runs
	// before the target adds its own request hook, and its OnRequest
	// still sees every request.
	Emulator emulator.Config
	// Profile is the device profile to wrap the listener in, as serve
	// does; nil means the host profile.
	Profile *profile.Profile
}

// Target is a running emulator target. Its panel is the conformance
// target's Panel: scenarios' [inputs] sections are set on it.
type Target struct {
	// Target describes it to the conformance runner.
	conformance.Target
	emu  *emulator.Emulator
	stop func()
}

// Start loads the script, listens on a free loopback port and serves until
// Stop. A script that fails to load gives its error (an
// *emulator.ScriptError for one that does not run).
func Start(ctx context.Context, cfg Config) (*Target, error) {
	p := cfg.Profile
	if p == nil {
		var err error
		if p, err = profile.Lookup(profile.Host); err != nil {
			return nil, err
		}
	}
	ec := cfg.Emulator
	if !ec.NamesScript() {
		ec.Source, ec.ScriptName = fixture.Starlark, FixtureName
	}
	escapes := &escapeLog{}
	configure := ec.Configure
	ec.Configure = func(s *server.HttpServer) {
		if configure != nil {
			configure(s)
		}
		next := s.OnRequest
		s.OnRequest = func(r server.RequestLog) {
			escapes.record(r)
			if next != nil {
				next(r)
			}
		}
	}
	emu, err := emulator.New(ec)
	if err != nil {
		return nil, err
	}
	ln, err := p.Listen(ctx, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	events := &profileLog{}
	ln = p.Wrap(ln, events.record)
	// The target outlives ctx's request scope until Stop, as a process
	// target does.
	serveCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = emu.Serve(serveCtx, ln)
	}()
	t := &Target{
		Target: conformance.Target{Name: Name(p), Addr: ln.Addr().String(),
			Labels: Labels([]string{"emulator", ec.Runtime.String()}, p), Escapes: escapes, KeepsServing: true},
		emu: emu,
		stop: func() {
			cancel()
			<-done
			_ = ln.Close()
		},
	}
	if p.Name != profile.Host {
		t.Profile, t.ProfileEvents = p.Label(), events
	}
	t.Panel = t
	return t, nil
}

// Stop ends serving and waits until the emulator has stopped.
func (t *Target) Stop() { t.stop() }

// IO returns the panel the script drives.
func (t *Target) IO() *emulator.IO { return t.emu.IO() }

// ScriptName names the script the target serves.
func (t *Target) ScriptName() string { return t.emu.ScriptName() }

// Name names the emulator target under a profile: "emulator" on the host,
// "emulator/pico-w" under a device profile, so a run under several
// profiles keeps its columns apart.
func Name(p *profile.Profile) string {
	if p == nil || p.Name == profile.Host {
		return "emulator"
	}
	return "emulator/" + p.Name
}

// Labels adds a device profile's name to a target's labels, last so that
// the scenarios' `when pico-w` overrides win over the runtime's.
func Labels(labels []string, p *profile.Profile) []string {
	if p == nil || p.Name == profile.Host {
		return labels
	}
	return append(labels, p.Name)
}
