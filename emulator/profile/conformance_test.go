package profile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/emutarget"
)

// TestConformanceSuiteUnderDeviceProfiles runs the shared conformance
// suite against the emulator under each device profile: each scenario
// must pass or match the difference its `when pico-w` or `when
// pico-w-patched` override declares. lwIP's timer and the patched
// firmware's recv timeout are shortened so the suite stays fast; the
// outcomes do not depend on them as long as the timeout outlasts the
// scenarios' pauses (silent-client waits 300 ms).
func TestConformanceSuiteUnderDeviceProfiles(t *testing.T) {
	for _, name := range []string{profile.PicoW, profile.PicoWPatched} {
		t.Run(name, func(t *testing.T) {
			conformancetest.Run(t, func(t *testing.T) conformance.Target {
				p, err := profile.Lookup(name)
				require.NoError(t, err)
				p.Params.Tick, p.Params.RecvTimeout = 20*time.Millisecond, 600*time.Millisecond
				target, err := emutarget.Start(t.Context(), emutarget.Config{Profile: p})
				require.NoError(t, err)
				t.Cleanup(target.Stop)
				require.Equal(t, []string{"emulator", "cpython", name}, target.Labels)
				return target.Target
			})
		})
	}
}
