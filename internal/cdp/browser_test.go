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
		{"exits at once", `echo "cannot open display" >&2; exit 1`, 10 * time.Second, "exited before DevTools answered: cannot open display"},
		{"never answers", `echo "starting" >&2; exec sleep 30`, 300 * time.Millisecond, "did not answer DevTools: context deadline exceeded; it said: starting"},
		{"answers garbage", `printf 'not json\0' >&4; exec sleep 30`, 10 * time.Second, "cdp: bad message from the browser"},
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

// Launch drives the browser over --remote-debugging-pipe (fd 3 in, fd 4
// out, NUL after each message), opens no DevTools port, and turns the
// sandbox off only as root.
func TestLaunchOverAPipe(t *testing.T) {
	// The fake prints its arguments and the start of the first call it
	// reads (Browser.getVersion, id 1), then answers it. Like a browser it
	// answers only once asked: an answer before the call would find no
	// caller waiting for it.
	script := `echo "args: $*" >&2
head -c 40 <&3 | tr '\0' '|' >&2; echo >&2
printf '{"id":1,"result":{"product":"Fake/1.0"}}\0' >&4
exec sleep 30`
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	b, err := Launch(ctx, fakeLauncher(t, script), t.TempDir())
	require.NoError(t, err)
	defer b.Close()
	assert.Equal(t, "Fake/1.0", b.Product)
	deadline := time.Now().Add(testTimeout)
	for !strings.Contains(b.Output(), "Browser.getVersion") && time.Now().Before(deadline) {
		timer := time.NewTimer(10 * time.Millisecond)
		<-timer.C
	}
	out := b.Output()
	assert.Contains(t, out, "--remote-debugging-pipe")
	assert.NotContains(t, out, "--remote-debugging-port")
	assert.Contains(t, out, `{"id":1,"method":"Browser.getVersion"`)
	assert.Equal(t, os.Geteuid() == 0, strings.Contains(out, "--no-sandbox"), "no sandbox as root only")
	assert.Equal(t, os.Geteuid() != 0, b.Sandboxed)
}

// A browser that finds no usable sandbox is started again without one.
func TestLaunchWithoutAUsableSandbox(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("as root the sandbox is off from the start")
	}
	script := `case "$*" in
*--no-sandbox*) head -c 40 <&3 >/dev/null; printf '{"id":1,"result":{"product":"Fake/1.0"}}\0' >&4; exec sleep 30;;
*) echo "FATAL: No usable sandbox! Update your kernel" >&2; exit 1;;
esac`
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	b, err := Launch(ctx, fakeLauncher(t, script), t.TempDir())
	require.NoError(t, err)
	defer b.Close()
	assert.False(t, b.Sandboxed)
}

func TestSandboxFlags(t *testing.T) {
	assert.Equal(t, []string{"--no-sandbox"}, sandboxFlags(0), "root")
	assert.Empty(t, sandboxFlags(1000), "anyone else")
	assert.NotContains(t, Flags, "--no-sandbox")
}

func TestTailWriter(t *testing.T) {
	w := newTailWriter()
	for _, chunk := range []string{"first\r\nsec", "ond \n", "third\n"} {
		_, err := w.Write([]byte(chunk))
		require.NoError(t, err)
	}
	assert.Equal(t, "first\nsecond \nthird", w.String())
	for i := range 2 * tailLines {
		_, _ = w.Write([]byte("line " + string(rune('a'+i%26)) + "\n"))
	}
	assert.Len(t, strings.Split(w.String(), "\n"), tailLines)
}
