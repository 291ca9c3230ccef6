package emulator

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
