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
// must pass or match one of the outcomes its `when pico-w` or `when
// pico-w-patched` overrides declare. pico-w runs twice, with the accept
// race always lost (the default) and always won. lwIP's timer, the
// patched firmware's recv timeout and lwip_tcp_send's retries are
// shortened so the suite stays fast; the outcomes do not depend on them
// as long as the timeout outlasts the scenarios' pauses (silent-client
// waits 300 ms).
func TestConformanceSuiteUnderDeviceProfiles(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		race    float64
	}{
		{name: "pico-w", profile: profile.PicoW},
		{name: "pico-w race won", profile: profile.PicoW, race: 1},
		{name: "pico-w-patched", profile: profile.PicoWPatched},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conformancetest.Run(t, func(t *testing.T) conformance.Target {
				p, err := profile.Lookup(tt.profile)
				require.NoError(t, err)
				p.Params.Tick, p.Params.RecvTimeout = 20*time.Millisecond, 600*time.Millisecond
				p.Params.SendRetry, p.Params.RaceWin = 100*time.Millisecond, tt.race
				target, err := emutarget.Start(t.Context(), emutarget.Config{Profile: p})
				require.NoError(t, err)
				t.Cleanup(target.Stop)
				require.Equal(t, []string{"emulator", "cpython", tt.profile}, target.Labels)
				return target.Target
			})
		})
	}
}
