package cdp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFind(t *testing.T) {
	sh, err := os.Executable() // any executable will do
	require.NoError(t, err)
	tests := []struct {
		name    string
		env     string
		path    string
		want    string
		wantErr string
	}{
		{"from the environment", sh, "", sh, ""},
		{"environment names nothing runnable", "/no/such/browser", "", "", "EUROPI_CHROMIUM=/no/such/browser is not an executable"},
		{"none on PATH", "", t.TempDir(), "", "no Chromium on PATH (tried chromium, chromium-browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvBrowser, tt.env)
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			got, err := Find()
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), "\n", "a one-line skip reason")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// fakeLauncher writes a shell script standing in for the browser.
func fakeLauncher(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "browser")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755))
	return path
}

func TestLaunchFails(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		wantErr string
	}{
		{"exits at once", `echo "cannot open display" >&2; exit 1`, 10 * time.Second, "exited before DevTools listened: cannot open display"},
		{"never listens", `echo "starting" >&2; exec sleep 30`, 300 * time.Millisecond, "did not start DevTools: context deadline exceeded; it said: starting"},
		{"listens where nothing is", "echo 'DevTools listening on ws://127.0.0.1:1/devtools/browser/x' >&2; exec sleep 30", 10 * time.Second, "cdp: dial ws://127.0.0.1:1/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			start := time.Now()
			_, err := Launch(ctx, fakeLauncher(t, tt.script), t.TempDir())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Less(t, time.Since(start), 10*time.Second, "the fake browser was killed, not waited for")
		})
	}
}

func TestTailWriter(t *testing.T) {
	w := newTailWriter()
	for _, chunk := range []string{"first\r\nDevTools listen", "ing on ws://127.0.0.1:9/devtools/browser/a \n", "DevTools listening on ws://other\n"} {
		_, err := w.Write([]byte(chunk))
		require.NoError(t, err)
	}
	select {
	case url := <-w.devtools:
		assert.Equal(t, "ws://127.0.0.1:9/devtools/browser/a", url)
	default:
		t.Fatal("the DevTools URL was not reported")
	}
	select {
	case url := <-w.devtools:
		t.Fatalf("reported twice: %s", url)
	default:
	}
	assert.True(t, strings.HasPrefix(w.String(), "first\nDevTools listening on ws://127.0.0.1:9"))

	for i := range 2 * tailLines {
		_, _ = w.Write([]byte("line " + string(rune('a'+i%26)) + "\n"))
	}
	assert.Len(t, strings.Split(w.String(), "\n"), tailLines)
}
