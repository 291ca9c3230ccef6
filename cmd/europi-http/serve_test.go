package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/server"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ServeOptions
		wantErr string
	}{
		{"defaults", nil, ServeOptions{Listen: "127.0.0.1:8080", Runtime: "cpython", Profile: "host"}, ""},
		{"everything", []string{"--listen", "127.0.0.1:9000", "--script", "a.star", "--watch", "--set", "k1=40",
			"--set", "din=1", "--runtime", "micropython", "--strict-device", "--step-limit", "5000", "--profile", "pico-w", "--without", "send-buffer,connection-limit"},
			ServeOptions{Listen: "127.0.0.1:9000", Script: "a.star", Watch: true, Sets: []string{"k1=40", "din=1"},
				Runtime: "micropython", StrictDevice: true, StepLimit: 5000, Profile: "pico-w", Without: []string{"send-buffer", "connection-limit"}}, ""},
		{"example", []string{"--example", "status"}, ServeOptions{Listen: "127.0.0.1:8080", Example: "status", Runtime: "cpython", Profile: "host"}, ""},
		{"script and example clash", []string{"--script", "a.star", "--example", "status"}, ServeOptions{}, "mutually exclusive"},
		{"no positional args", []string{"extra"}, ServeOptions{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ServeOptions
			cmd := NewCmdServe(func(_ context.Context, o *ServeOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			got.Out, got.ErrOut = nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

func TestParseSets(t *testing.T) {
	got, err := parseSets([]string{"k1=40", " ain = 3.5 "})
	require.NoError(t, err)
	assert.Equal(t, []inputSetting{{"k1", 40}, {"ain", 3.5}}, got)
	for _, bad := range []string{"k1", "=3", "k1=x", "k1="} {
		_, err := parseSets([]string{bad})
		assert.Error(t, err, bad)
	}
}

func TestFormatRequestLog(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 4, 5, 6_000_000, time.UTC)
	line := formatRequestLog(server.RequestLog{Time: at, Peer: "127.0.0.1:5000", Method: "GET", Path: "/json",
		Status: 200, Bytes: 123, Duration: 1500 * time.Microsecond})
	assert.Equal(t, "10:04:05.006 127.0.0.1:5000 GET /json 200 123B 1.5ms", line)
	line = formatRequestLog(server.RequestLog{Time: at, Peer: "p", Method: "\x00G T", Path: "-", Outcome: "read failed"})
	assert.Equal(t, `10:04:05.006 p "\x00G T" - - 0B 0.0ms (read failed)`, line)
}

func TestExitCode(t *testing.T) {
	assert.Equal(t, 0, exitCode(nil))
	assert.Equal(t, 1, exitCode(errors.New("x")))
	assert.Equal(t, 2, exitCode(&exitError{code: 2, err: errors.New("script.star:1:2: bad")}))
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	cmd := NewCmdVersion(nil)
	cmd.SetOut(&out)
	cmd.SetArgs(nil)
	require.NoError(t, cmd.Execute())
	assert.Regexp(t, `^europi-http \S+`, out.String())
}

func TestLookupProfile(t *testing.T) {
	p, err := lookupProfile("pico-w", []string{"send-buffer"})
	require.NoError(t, err)
	assert.Equal(t, "pico-w without send-buffer", p.Label())
	_, err = lookupProfile("pico-x", nil)
	assert.ErrorContains(t, err, "pico-w")
	_, err = lookupProfile("pico-w", []string{"no-such-rule"})
	assert.ErrorContains(t, err, "accept-timeout-0")
}
