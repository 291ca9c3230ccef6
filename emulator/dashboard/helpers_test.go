package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/server"
)

// exchangeTimeout bounds every request a test makes.
const exchangeTimeout = 10 * time.Second

// rig is an emulator serving a script on one loopback port and its
// dashboard on another, as `europi-http serve` runs them.
type rig struct {
	t      *testing.T
	emu    *emulator.Emulator
	dash   *Dashboard
	base   string // the dashboard, "http://127.0.0.1:port/"
	device string // the device's address, "127.0.0.1:port"
	client *http.Client
}

// newRig starts cfg's emulator and a dashboard for it; tune, if set, may
// change the dashboard before it serves.
func newRig(t *testing.T, cfg emulator.Config, tune func(*Dashboard)) *rig {
	t.Helper()
	r := &rig{t: t, client: &http.Client{Timeout: exchangeTimeout, Transport: &http.Transport{DisableKeepAlives: true}}}
	cfg.Configure = func(s *server.HttpServer) { s.OnRequest = func(l server.RequestLog) { r.dash.Record(l) } }
	emu, err := emulator.New(cfg)
	require.NoError(t, err)
	r.emu = emu

	deviceLn, dashLn := localListener(t), localListener(t)
	r.device = deviceLn.Addr().String()
	r.base = "http://" + dashLn.Addr().String() + "/"
	r.dash = New(emu, Options{DeviceURL: "http://" + r.device + "/", Profile: "host"})
	if tune != nil {
		tune(r.dash)
	}

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 2)
	go func() { served <- emu.Serve(ctx, deviceLn) }()
	go func() { served <- r.dash.Serve(ctx, dashLn) }()
	t.Cleanup(func() {
		cancel()
		for range 2 {
			select {
			case err := <-served:
				require.NoError(t, err)
			case <-time.After(exchangeTimeout):
				t.Fatal("Serve did not return after its context ended")
			}
		}
	})
	return r
}

// localListener listens on a free loopback port.
func localListener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	return ln
}

// do sends one API request and returns the status code and body.
func (r *rig) do(method, path, contentType, body string) (int, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.base+path, bytes.NewBufferString(body))
	require.NoError(r.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := r.client.Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(r.t, err)
	return resp.StatusCode, data
}

// getJSON GETs an API path that must answer 200 and decodes it into v.
func (r *rig) getJSON(path string, v any) {
	r.t.Helper()
	code, body := r.do("GET", path, "", "")
	require.Equal(r.t, http.StatusOK, code, string(body))
	require.NoError(r.t, json.Unmarshal(body, v), string(body))
}

// deviceRequest sends raw bytes to the device port and returns the reply,
// which ends when the server closes the connection.
func (r *rig) deviceRequest(raw string) []byte {
	r.t.Helper()
	c, err := net.DialTimeout("tcp", r.device, exchangeTimeout)
	require.NoError(r.t, err)
	defer c.Close()
	require.NoError(r.t, c.SetDeadline(time.Now().Add(exchangeTimeout)))
	_, err = c.Write([]byte(raw))
	require.NoError(r.t, err)
	reply, err := io.ReadAll(c)
	require.NoError(r.t, err)
	return reply
}

// waitLog waits until the dashboard has recorded n requests: the server
// records a connection after closing it, so a reply can arrive first.
func (r *rig) waitLog(n int) []LogEntry {
	r.t.Helper()
	deadline := time.Now().Add(exchangeTimeout)
	for {
		changed := r.dash.log.waitChan() // before reading, so no entry slips by
		entries := r.dash.log.after(0)
		if len(entries) >= n {
			return entries
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the log has %d entries, want %d", len(entries), n)
		}
		select {
		case <-changed:
		case <-time.After(time.Until(deadline)):
		}
	}
}
