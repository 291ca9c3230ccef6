package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

// stream is a client's end of /api/events.
type stream struct {
	t    *testing.T
	body *bufio.Reader
}

// openStream opens the event stream; it closes when the test ends.
func (r *rig) openStream() *stream {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), exchangeTimeout)
	req, err := http.NewRequestWithContext(ctx, "GET", r.base+"api/events", nil)
	require.NoError(r.t, err)
	// The client's Timeout would cut the stream; the context bounds it.
	resp, err := (&http.Client{Transport: r.client.Transport}).Do(req)
	require.NoError(r.t, err)
	r.t.Cleanup(func() { cancel(); resp.Body.Close() })
	require.Equal(r.t, http.StatusOK, resp.StatusCode)
	require.Equal(r.t, "text/event-stream", resp.Header.Get("Content-Type"))
	return &stream{t: r.t, body: bufio.NewReader(resp.Body)}
}

// next reads the next event, or a comment as event ":".
func (s *stream) next() (event, data string) {
	s.t.Helper()
	for {
		line, err := s.body.ReadString('\n')
		require.NoError(s.t, err)
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && (event != "" || data != ""):
			return event, data
		case strings.HasPrefix(line, ":"):
			event = ":"
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

// expect reads the next event, which must be named event, into v.
func (s *stream) expect(event string, v any) {
	s.t.Helper()
	got, data := s.next()
	require.Equal(s.t, event, got, data)
	require.NoError(s.t, json.Unmarshal([]byte(data), v), data)
}

func TestEvents(t *testing.T) {
	r := newRig(t, emulator.Config{}, nil)
	r.deviceRequest("GET / HTTP/1.1\r\n\r\n")
	r.waitLog(1)
	s := r.openStream()

	var hello Hello
	s.expect("hello", &hello)
	assert.Equal(t, "http_control/main.star", hello.Status.Script)
	assert.Equal(t, "http://"+r.device+"/", hello.Status.DeviceURL)
	assert.Equal(t, "host", hello.Status.Profile)
	require.Len(t, hello.Log, 1, "the history comes with hello")
	assert.Equal(t, "GET", hello.Log[0].Method)
	assert.Equal(t, uint64(1), hello.Display.Version, "the script drew its status when it loaded")
	assert.Equal(t, r.emu.IO().Display().Frame(), hello.Display.Frame)

	// An input set through the API.
	code, body := r.do("POST", "api/inputs", "application/json", `{"k2": 75}`)
	require.Equal(t, http.StatusOK, code, string(body))
	var st emulator.IOState
	s.expect("state", &st)
	assert.Equal(t, 75.0, st.Inputs.K2)

	// A script moving an output, and the request that made it: the state
	// comes first, so the page never shows a request before its effect.
	r.deviceRequest("POST / HTTP/1.1\r\n\r\n{\"cv4\": 10}")
	var entries []LogEntry
	var display DisplayReply
	for entries == nil {
		switch event, data := s.next(); event {
		case "state":
			require.NoError(t, json.Unmarshal([]byte(data), &st))
		case "display":
			require.NotZero(t, st.Outputs[3].Volts, "the state that moved cv4 comes before the display")
			require.NoError(t, json.Unmarshal([]byte(data), &display))
		case "log":
			require.NoError(t, json.Unmarshal([]byte(data), &entries))
		default:
			t.Fatalf("unexpected event %s: %s", event, data)
		}
	}
	assert.InDelta(t, 10.0, st.Outputs[3].Volts, 0.5) // as the device's duty reads back
	assert.Equal(t, r.emu.IO().Snapshot().Outputs[3], st.Outputs[3])
	assert.Equal(t, uint64(2), display.Version, "the script drew the outputs")
	assert.Equal(t, r.emu.IO().Display().Frame(), display.Frame)
	require.Len(t, entries, 1, "only the new entry")
	assert.Equal(t, uint64(2), entries[0].ID)
	assert.Equal(t, "POST", entries[0].Method)
}

// goodScript answers every GET with "ok".
const goodScript = "server = HttpServer()\ndef get(request = None, connection = None):\n    server.send_html(connection, \"ok\")\nserver.get_handler(get)\n"

// A broken edit of a watched script reaches the page as a status event as
// soon as it is saved, with no request to the device.
func TestEventsReloadStatus(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "app.star")
	require.NoError(t, os.WriteFile(script, []byte(goodScript), 0o644))
	r := newRig(t, emulator.Config{ScriptPath: script, Watch: true}, nil)
	s := r.openStream()
	var hello Hello
	s.expect("hello", &hello)
	assert.True(t, hello.Status.Watch)
	assert.Empty(t, hello.Status.ReloadError)

	// Saved, not requested: the watcher reloads it.
	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer(\n"), 0o644))
	var status StatusReply
	s.expect("status", &status)
	assert.Contains(t, status.ReloadError, script+":2:1:")
	assert.Equal(t, "http://"+r.device+"/", status.DeviceURL)
}

// An idle stream sends keep-alive comments.
func TestEventsKeepAlive(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, func(d *Dashboard) { d.keepAlive = 10 * time.Millisecond })
	s := r.openStream()
	var hello Hello
	s.expect("hello", &hello)
	event, _ := s.next()
	assert.Equal(t, ":", event)
}

// Serve returns promptly when its context ends, open streams or not.
func TestServeEndsStreams(t *testing.T) {
	emu, err := emulator.New(emulator.Config{Example: "status"})
	require.NoError(t, err)
	d := New(emu, Options{})
	r := &rig{t: t, dash: d, client: &http.Client{Timeout: exchangeTimeout, Transport: &http.Transport{DisableKeepAlives: true}}}
	ln := localListener(t)
	r.base = "http://" + ln.Addr().String() + "/"
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- d.Serve(ctx, ln) }()
	s := r.openStream()
	var hello Hello
	s.expect("hello", &hello)
	cancel()
	select {
	case err := <-served:
		assert.NoError(t, err)
	case <-time.After(exchangeTimeout):
		t.Fatal("Serve did not return with a stream open")
	}
	_, err = s.body.ReadString('\n')
	assert.Error(t, err, "the stream ended")
}
