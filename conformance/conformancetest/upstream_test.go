package conformancetest_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/conformance/fixture"
	"github.com/europi-http/europi-http/internal/upstream"
)

// upstreamTarget starts upstream's http_server.py with the fixture under
// python and stops it when the test ends.
func upstreamTarget(python, runtime string) func(t *testing.T) conformance.Target {
	return func(t *testing.T) conformance.Target {
		fw := upstream.FirmwareFromEnv(t)
		if _, err := exec.LookPath(python); err != nil {
			t.Skipf("%s is not installed", python)
		}
		p, err := upstream.Start(t.Context(), upstream.Config{Firmware: fw, Python: python, AppSource: fixture.Python})
		require.NoError(t, err)
		t.Cleanup(func() { _ = p.Stop() })
		return conformance.Target{Name: "upstream-" + python, Addr: p.Addr(),
			Labels: []string{"upstream", runtime}, Escapes: p, KeepsServing: true}
	}
}

// TestUpstreamPython3 runs the whole suite against upstream's own
// http_server.py under CPython: the scenarios were written from its bytes,
// so every one must pass.
func TestUpstreamPython3(t *testing.T) {
	conformancetest.Run(t, upstreamTarget("python3", "cpython"))
}

// TestUpstreamMicroPython runs the suite under MicroPython's unix port when
// it is installed; the differences it shows are declared in the scenarios.
func TestUpstreamMicroPython(t *testing.T) {
	conformancetest.Run(t, upstreamTarget("micropython", "micropython"))
}
