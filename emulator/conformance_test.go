package emulator_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/emutarget"
	"github.com/europi-http/europi-http/pyrt"
)

// TestConformanceSuite runs the shared conformance suite, every embedded
// scenario, against the emulator serving the fixture's Starlark twin with
// CPython's differences, escapes reported.
func TestConformanceSuite(t *testing.T) {
	conformancetest.Run(t, func(t *testing.T) conformance.Target {
		target, err := emutarget.Start(t.Context(), emutarget.Config{Emulator: emulator.Config{Runtime: pyrt.CPython}})
		require.NoError(t, err)
		t.Cleanup(target.Stop)
		return target.Target
	})
}
