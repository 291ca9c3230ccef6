package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParseFlags(t *testing.T) {
	t.Setenv("EUROPI_FIRMWARE", "/fw")
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{"defaults", nil, options{rounds: 1, duration: 5 * time.Second, conns: []int{1, 16}, timeout: 5 * time.Second,
			servers: allServers, firmware: "/fw"}, ""},
		{"everything", []string{"-duration", "2s", "-conns", "1, 4,8", "-timeout", "1s", "-servers", "bare,nethttp,bare",
			"-emulator-args", "--runtime micropython", "-emulator-bin", "/bin/e", "-firmware", ""},
			options{rounds: 1, duration: 2 * time.Second, conns: []int{1, 4, 8}, timeout: time.Second, servers: []string{"bare", "nethttp"},
				emulatorArgs: []string{"--runtime", "micropython"}, emulatorBin: "/bin/e"}, ""},
		{"zero duration", []string{"-duration", "0s"}, options{}, "-duration"},
		{"hour-long duration", []string{"-duration", "1h"}, options{}, "at most"},
		{"zero timeout", []string{"-timeout", "0s"}, options{}, "-timeout"},
		{"many rounds", []string{"-rounds", "25"}, options{rounds: 25, duration: 5 * time.Second, conns: []int{1, 16},
			timeout: 5 * time.Second, servers: allServers, firmware: "/fw"}, ""},
		{"zero rounds", []string{"-rounds", "0"}, options{}, "-rounds 0: want 1 to 25"},
		{"too many rounds", []string{"-rounds", "26"}, options{}, "-rounds 26: want 1 to 25"},
		{"bad conns", []string{"-conns", "1,x"}, options{}, "-conns"},
		{"zero conns", []string{"-conns", "0"}, options{}, "-conns"},
		{"too many conns", []string{"-conns", "1000"}, options{}, "-conns"},
		{"unknown server", []string{"-servers", "nginx"}, options{}, "unknown server"},
		{"extra args", []string{"x"}, options{}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
