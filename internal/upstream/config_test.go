package upstream

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStartRejectsBadConfig checks that every configuration mistake is
// reported before anything is launched, with a message naming the problem.
func TestStartRejectsBadConfig(t *testing.T) {
	fw := fakeFirmware(t)
	notCheckout := t.TempDir()
	pong := script("pong.py")

	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no firmware", Config{App: pong}, "Config.Firmware is empty"},
		{"not a checkout", Config{Firmware: notCheckout, App: pong}, "is not a EuroPi checkout"},
		{"no script", Config{Firmware: fw}, "no script"},
		{"both scripts", Config{Firmware: fw, App: pong, AppSource: []byte("x")}, "not both"},
		{"missing script", Config{Firmware: fw, App: filepath.Join(notCheckout, "nope.py")}, "reading the script"},
		{"unknown input", Config{Firmware: fw, App: pong, Inputs: map[string]float64{"k3": 0}}, `unknown input "k3"`},
		{"knob above 1", Config{Firmware: fw, App: pong, Inputs: map[string]float64{"k1": 1.5}}, "input k1 = 1.5 is outside 0..1"},
		{"negative volts", Config{Firmware: fw, App: pong, Inputs: map[string]float64{"ain": -1}}, "input ain = -1 is outside 0..10"},
		{"NaN knob", Config{Firmware: fw, App: pong, Inputs: map[string]float64{"k2": math.NaN()}}, "input k2 = NaN"},
		{"half a gate", Config{Firmware: fw, App: pong, Inputs: map[string]float64{"din": 0.5}}, "input din = 0.5 must be 0 or 1"},
		{"no interpreter", Config{Firmware: fw, App: pong, Python: "no-such-python-europi"}, `interpreter "no-such-python-europi"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Start(context.Background(), tt.cfg)
			require.Nil(t, p)
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// TestFirmwareFromEnv checks both outcomes: a usable checkout is returned,
// anything else skips.
func TestFirmwareFromEnv(t *testing.T) {
	for name, value := range map[string]string{"the root": "", "its software/firmware": "software/firmware"} {
		t.Run("usable: "+name, func(t *testing.T) {
			fw := fakeFirmware(t)
			t.Setenv(FirmwareEnv, filepath.Join(fw, value))
			require.Equal(t, fw, FirmwareFromEnv(t), "the checkout's root")
		})
	}
	for name, value := range map[string]string{"unset": "", "not a checkout": os.TempDir()} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(FirmwareEnv, value)
			rec := &skipRecorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				FirmwareFromEnv(rec)
				rec.returned = true
			}()
			<-done
			require.False(t, rec.returned, "FirmwareFromEnv(%q) returned instead of skipping", value)
			require.Contains(t, rec.reason, FirmwareEnv)
			require.NotContains(t, rec.reason, "\n", "the reason must be one line")
		})
	}
}

func TestCheckoutRoot(t *testing.T) {
	fw := fakeFirmware(t)
	tests := []struct {
		name, dir, want, wantErr string
	}{
		{"the root", fw, fw, ""},
		{"its software/firmware folder", filepath.Join(fw, "software", "firmware"), fw, ""},
		{"its software folder", filepath.Join(fw, "software"), "", "is not a EuroPi checkout or its software/firmware folder"},
		{"no such folder", filepath.Join(fw, "nope"), "", "is not a EuroPi checkout"},
		{"nothing", "", "", "no EuroPi checkout given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckoutRoot(tt.dir)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// skipRecorder stands in for a test so FirmwareFromEnv's Skip can be
// observed; like the real one, Skip ends the calling goroutine.
type skipRecorder struct {
	testing.TB
	reason   string
	returned bool
}

func (s *skipRecorder) Helper() {}

func (s *skipRecorder) Skip(args ...any) {
	s.reason = fmt.Sprint(args...)
	goruntime.Goexit()
}
