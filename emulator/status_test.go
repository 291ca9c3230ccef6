package emulator

import (
	"log"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/internal/testnet"
)

func TestStatusExample(t *testing.T) {
	em, err := New(Config{Example: "status"})
	require.NoError(t, err)
	assert.Equal(t, Status{Script: "status/main.star"}, em.Status())
}

// Status follows --watch reloads: a broken edit shows its error while the
// last good script serves on, and a fixed one clears it.
func TestStatusWatch(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"one"`)})
	em, err := New(Config{ScriptPath: script, Watch: true})
	require.NoError(t, err)
	addr := startServing(t, em)
	get := func() string { return bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))) }

	steps := []struct {
		name      string
		write     string
		body      string
		reloads   int
		wantError string
	}{
		{"unchanged", "", "one", 0, ""},
		{"good edit", textScript(`"two"`), "two", 1, ""},
		{"broken edit", "server = HttpServer(\n", "two", 1, script + ":2:1:"},
		{"fixed", textScript(`"three"`), "three", 2, ""},
	}
	for _, s := range steps {
		if s.write != "" {
			require.NoError(t, os.WriteFile(script, []byte(s.write), 0o644), s.name)
		}
		assert.Equal(t, s.body, get(), s.name)
		st := em.Status()
		assert.Equal(t, script, st.Script, s.name)
		assert.True(t, st.Watch, s.name)
		assert.Equal(t, s.reloads, st.Reloads, s.name)
		assert.Equal(t, s.write == "", st.LastReload.IsZero(), s.name)
		if s.wantError == "" {
			assert.Empty(t, st.ReloadError, s.name)
		} else {
			assert.Contains(t, st.ReloadError, s.wantError, s.name)
		}
	}
}

// A watched script is reloaded when it is saved, before any request:
// Status changes, StatusChanged says so, and the log has the line.
func TestWatchReloadsWithoutARequest(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"one"`)})
	logs := &testnet.SyncBuffer{}
	em, err := New(Config{ScriptPath: script, Watch: true, Logger: log.New(logs, "", 0)})
	require.NoError(t, err)
	addr := startServing(t, em)
	waitStatus := func(what string, ok func(Status) bool) Status {
		t.Helper()
		deadline := time.NewTimer(10 * time.Second)
		defer deadline.Stop()
		for {
			changed := em.StatusChanged()
			if st := em.Status(); ok(st) {
				return st
			}
			select {
			case <-changed:
			case <-deadline.C:
				t.Fatalf("%s: no reload noticed; status %+v, log:\n%s", what, em.Status(), logs.String())
			}
		}
	}

	require.NoError(t, os.WriteFile(script, []byte(textScript(`"two"`)), 0o644))
	waitStatus("good edit", func(st Status) bool { return st.Reloads == 1 })
	assert.Contains(t, logs.String(), script+": reloaded")

	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer(\n"), 0o644))
	st := waitStatus("broken edit", func(st Status) bool { return st.ReloadError != "" })
	assert.Contains(t, st.ReloadError, script+":2:1:")
	assert.Contains(t, logs.String(), "reload failed, the last good version keeps serving")
	assert.Equal(t, "two", bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))))
}
