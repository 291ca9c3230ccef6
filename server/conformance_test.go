package server

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/pyrt"
)

// TestConformanceSuite runs the shared conformance suite, every embedded
// scenario, against the server serving the fixture's Go twin under each
// runtime, with the device script's escapes reported.
func TestConformanceSuite(t *testing.T) {
	for _, rt := range []pyrt.Runtime{pyrt.CPython, pyrt.MicroPython} {
		t.Run(rt.String(), func(t *testing.T) {
			conformancetest.Run(t, func(t *testing.T) conformance.Target {
				return startSuiteTarget(t, rt)
			})
		})
	}
}

// startSuiteTarget serves the fixture on a loopback listener until the test
// ends. Where upstream's check_requests() would have raised, it records an
// escape, named as the OSError it would be (BrokenPipeError and
// ConnectionResetError are OSErrors too).
func startSuiteTarget(t *testing.T, rt pyrt.Runtime) conformance.Target {
	s, _ := newTestServer(t)
	require.NoError(t, SetBacklog(s.ln, Backlog), "upstream's listen(5), as Listen gives it")
	s.Runtime = rt
	escapes := &conformance.EscapeLog{}
	s.OnRequest = func(r RequestLog) {
		if r.Outcome == OutcomeScriptStopped {
			escapes.Add("OSError: " + r.Err.Error())
		}
	}
	serveInBackground(t, s)
	return conformance.Target{Name: "server", Addr: s.Addr().String(),
		Labels: []string{"server", rt.String()}, Escapes: escapes, KeepsServing: true}
}
