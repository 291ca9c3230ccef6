package emutarget

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
)

// get sends a GET for path to addr and returns the whole answer.
func get(t *testing.T, addr, path string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = c.Write([]byte("GET " + path + " HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	reply, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(reply)
}

// start starts a target that stops when the test ends.
func start(t *testing.T, cfg Config) *Target {
	t.Helper()
	target, err := Start(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(target.Stop)
	return target
}

func TestStartServesWhatItIsGiven(t *testing.T) {
	app := filepath.Join(t.TempDir(), "app.star")
	require.NoError(t, os.WriteFile(app, []byte("server = HttpServer()\ndef get(request = None, connection = None):\n    server.send_response(connection, \"mine\")\nserver.get_handler(get)\n"), 0o644))
	tests := []struct {
		name, wantScript, path, wantBody string
		cfg                              Config
	}{
		{"the fixture by default", FixtureName, "/text", "plain text from EuroPi\n", Config{}},
		{"an example", "status/main.star", "/", `"k1": 0.0`, Config{Emulator: emulator.Config{Example: "status"}}},
		{"a script file", app, "/", "mine", Config{Emulator: emulator.Config{ScriptPath: app}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := start(t, tt.cfg)
			assert.Equal(t, tt.wantScript, target.ScriptName())
			assert.Equal(t, "emulator", target.Name)
			assert.Equal(t, []string{"emulator", "cpython"}, target.Labels)
			assert.True(t, target.KeepsServing)
			assert.NotNil(t, target.Escapes)
			assert.Contains(t, get(t, target.Addr, tt.path), tt.wantBody)
		})
	}
}

func TestStartUnderAProfile(t *testing.T) {
	p, err := profile.Lookup(profile.PicoW)
	require.NoError(t, err)
	target := start(t, Config{Emulator: emulator.Config{Runtime: pyrt.MicroPython}, Profile: p})
	assert.Equal(t, "emulator/pico-w", target.Name)
	assert.Equal(t, []string{"emulator", "micropython", "pico-w"}, target.Labels)
	assert.Equal(t, p.Label(), target.Profile)
	assert.NotNil(t, target.ProfileEvents)
}

func TestStartKeepsTheCallersRequestHook(t *testing.T) {
	logged := make(chan server.RequestLog, 1)
	target := start(t, Config{Emulator: emulator.Config{Configure: func(s *server.HttpServer) {
		s.OnRequest = func(r server.RequestLog) { logged <- r }
	}}})
	get(t, target.Addr, "/text")
	select {
	case r := <-logged:
		assert.Equal(t, "/text", r.Path)
	case <-time.After(10 * time.Second):
		t.Fatal("the caller's OnRequest never ran")
	}
}

func TestStartFails(t *testing.T) {
	_, err := Start(t.Context(), Config{Emulator: emulator.Config{Source: []byte("x = \n"), ScriptName: "broken.star"}})
	var se *emulator.ScriptError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "broken.star", se.File)

	_, err = Start(t.Context(), Config{Emulator: emulator.Config{Example: "nope"}})
	assert.ErrorContains(t, err, `no example called "nope"`)
}

func TestStopEndsServing(t *testing.T) {
	target, err := Start(t.Context(), Config{})
	require.NoError(t, err)
	target.Stop()
	_, err = net.DialTimeout("tcp", target.Addr, 5*time.Second)
	assert.Error(t, err)
}

func TestEscapes(t *testing.T) {
	assert.Equal(t, "BrokenPipeError: write: broken pipe", escapeText(fmt.Errorf("write: %w", syscall.EPIPE)))
	assert.Equal(t, "ConnectionResetError: read: connection reset by peer", escapeText(fmt.Errorf("read: %w", syscall.ECONNRESET)))
	assert.Equal(t, "OSError: boom", escapeText(errors.New("boom")))

	var l escapeLog
	l.record(server.RequestLog{Outcome: server.OutcomeSendFailed, Err: syscall.EPIPE})
	l.record(server.RequestLog{Outcome: server.OutcomeScriptStopped, Err: syscall.EPIPE})
	assert.Equal(t, []string{"BrokenPipeError: broken pipe"}, l.Escapes())
	got, err := l.WaitEscapes(t.Context(), 1)
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func TestPanel(t *testing.T) {
	target := start(t, Config{Emulator: emulator.Config{Example: "status"}})
	assert.Same(t, target, target.Panel, "the runner sets [inputs] through the target")
	assert.Equal(t, []scenario.Input{{Name: "k1"}, {Name: "k2"}, {Name: "ain"}, {Name: "din"}, {Name: "b1"}, {Name: "b2"}}, target.Inputs())

	require.NoError(t, target.SetInputs([]scenario.Input{{Name: "k1", Value: 40}, {Name: "ain", Value: 3.5}, {Name: "b2", Value: 1}}))
	assert.Equal(t, []scenario.Input{{Name: "k1", Value: 40}, {Name: "k2"}, {Name: "ain", Value: 3.5}, {Name: "din"}, {Name: "b1"}, {Name: "b2", Value: 1}}, target.Inputs())
	assert.Contains(t, get(t, target.Addr, "/"), `"k1": 0.4`, "the script reads what was set")

	err := target.SetInputs([]scenario.Input{{Name: "k2", Value: 10}, {Name: "din", Value: 2}})
	assert.EqualError(t, err, "input din: 2 is not 0 or 1")
	assert.Equal(t, 0.0, target.IO().Snapshot().Inputs.K2, "all or none")
}
