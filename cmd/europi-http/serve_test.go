package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/dashboard"
	"github.com/europi-http/europi-http/server"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ServeOptions
		wantErr string
	}{
		{"defaults", nil, ServeOptions{Listen: "127.0.0.1:8080", CallTimeout: emulator.DefaultCallTimeout, Runtime: "cpython", Profile: "host", Dashboard: "127.0.0.1:8081"}, ""},
		{"everything", []string{"--listen", "127.0.0.1:9000", "--script", "a.star", "--watch", "--set", "k1=40",
			"--set", "din=1", "--runtime", "micropython", "--strict-device", "--quiet", "--step-limit", "5000", "--call-timeout", "1.5s", "--profile", "pico-w", "--without", "send-buffer,connection-limit", "--dashboard", "127.0.0.1:9001"},
			ServeOptions{Listen: "127.0.0.1:9000", CallTimeout: 1500 * time.Millisecond, Script: "a.star", Watch: true, Sets: []string{"k1=40", "din=1"},
				Runtime: "micropython", StrictDevice: true, Quiet: true, StepLimit: 5000, Profile: "pico-w", Without: []string{"send-buffer", "connection-limit"}, Dashboard: "127.0.0.1:9001"}, ""},
		{"example", []string{"--example", "status"}, ServeOptions{Listen: "127.0.0.1:8080", CallTimeout: emulator.DefaultCallTimeout, Example: "status", Runtime: "cpython", Profile: "host", Dashboard: "127.0.0.1:8081"}, ""},
		{"no dashboard", []string{"--no-dashboard"}, ServeOptions{Listen: "127.0.0.1:8080", CallTimeout: emulator.DefaultCallTimeout, Runtime: "cpython", Profile: "host", Dashboard: "127.0.0.1:8081", NoDashboard: true}, ""},
		{"dashboard and no dashboard clash", []string{"--dashboard", "127.0.0.1:9001", "--no-dashboard"}, ServeOptions{}, "[dashboard no-dashboard] were all set"},
		{"script and example clash", []string{"--script", "a.star", "--example", "status"}, ServeOptions{}, "[example script] were all set"},
		{"no positional args", []string{"extra"}, ServeOptions{}, "unknown command"},
		{"pico race", []string{"--profile", "pico-w", "--pico-race", "1", "--pico-race-seed", "9"},
			ServeOptions{Listen: "127.0.0.1:8080", CallTimeout: emulator.DefaultCallTimeout, Runtime: "cpython", Profile: "pico-w", Race: picoRace{Rate: 1, Seed: 9, Set: true}, Dashboard: "127.0.0.1:8081"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdServe, tt.args, tt.want, tt.wantErr)
		})
	}
}

func TestParseSets(t *testing.T) {
	got, err := parseSets([]string{"k1=40", " ain = 3.5 "})
	require.NoError(t, err)
	assert.Equal(t, []emulator.Input{{Name: "k1", Value: 40}, {Name: "ain", Value: 3.5}}, got)
	for _, bad := range []string{"k1", "=3", "k1=x", "k1="} {
		_, err := parseSets([]string{bad})
		assert.ErrorContains(t, err, "--set \""+bad+"\"", bad)
	}
}

func TestFormatRequestLog(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 4, 5, 6_000_000, time.UTC)
	line := formatRequestLog(server.RequestLog{Time: at, Peer: "127.0.0.1:5000", Method: "GET", Path: "/json",
		Status: 200, Bytes: 123, Duration: 1500 * time.Microsecond})
	assert.Equal(t, "10:04:05.006 127.0.0.1:5000 GET /json 200 123B 1.5ms", line)
	line = formatRequestLog(server.RequestLog{Time: at, Peer: "p", Method: "\x00G T", Path: "-", Outcome: server.OutcomeReadFailed})
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

func TestPicoRaceApply(t *testing.T) {
	tests := []struct {
		name     string
		profile  string
		without  []string
		race     picoRace
		wantRate float64
		wantErr  string
	}{
		{name: "not given leaves the default", profile: "pico-w", race: picoRace{Rate: 1}},
		{name: "sets rate and seed", profile: "pico-w", race: picoRace{Rate: 0.5, Seed: 4, Set: true}, wantRate: 0.5},
		{name: "bad rate", profile: "pico-w", race: picoRace{Rate: -1, Set: true}, wantErr: "--pico-race: race rate -1 is not between 0 and 1"},
		{name: "host has no race", profile: "host", race: picoRace{Rate: 1, Set: true}, wantErr: "which host lacks"},
		{name: "rule off", profile: "pico-w", without: []string{"accept-timeout-0"}, race: picoRace{Rate: 1, Set: true}, wantErr: "which pico-w without accept-timeout-0 lacks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := lookupProfile(tt.profile, tt.without)
			require.NoError(t, err)
			err = tt.race.apply(p)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Equal(t, 2, exitCode(err), "bad input exits 2")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantRate, p.Params.RaceWin)
			assert.Equal(t, tt.race.Seed, p.Params.RaceSeed)
		})
	}
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

// lineSink is an io.Writer for a command's output that a test can wait on,
// line by line.
type lineSink struct {
	mu    sync.Mutex
	all   strings.Builder
	part  string
	lines chan string
}

func newLineSink() *lineSink { return &lineSink{lines: make(chan string, 1000)} }

func (s *lineSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all.Write(p)
	s.part += string(p)
	for {
		line, rest, ok := strings.Cut(s.part, "\n")
		if !ok {
			break
		}
		s.part = rest
		select {
		case s.lines <- line:
		default: // a test waits for early lines only
		}
	}
	return len(p), nil
}

func (s *lineSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.all.String()
}

// waitLine returns the text after prefix on the first line starting with it.
func (s *lineSink) waitLine(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(serveTimeout)
	for {
		select {
		case line := <-s.lines:
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				return rest
			}
		case <-deadline:
			t.Fatalf("no line starting %q in:\n%s", prefix, s.String())
		}
	}
}

const serveTimeout = 10 * time.Second

// startServe runs `serve` with opts until the test ends, and returns its
// standard output.
func startServe(t *testing.T, opts *ServeOptions) *lineSink {
	t.Helper()
	out := newLineSink()
	opts.Out, opts.ErrOut = out, newLineSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, opts) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(serveTimeout):
			t.Error("serve did not stop")
		}
	})
	return out
}

// urlAddr is the host:port of "http://host:port/ ...".
func urlAddr(t *testing.T, s string) string {
	t.Helper()
	s = strings.TrimPrefix(strings.Fields(s)[0], "http://")
	return strings.TrimSuffix(s, "/")
}

// deviceGet sends a raw GET to the device and returns the response body.
func deviceGet(t *testing.T, addr, path string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, serveTimeout)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(serveTimeout)))
	_, err = c.Write([]byte("GET " + path + " HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	reply, err := io.ReadAll(c)
	require.NoError(t, err)
	_, body, _ := strings.Cut(string(reply), "\r\n\r\n")
	return body
}

// apiCall sends one request to the dashboard's API and decodes the answer.
func apiCall(t *testing.T, addr, method, path, body string, v any) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: serveTimeout, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(data))
	require.NoError(t, json.Unmarshal(data, v), string(data))
}

// serve starts the device and its dashboard on ports of their own; --set
// and the dashboard's API set the same panel the script reads.
func TestServeWithDashboard(t *testing.T) {
	out := startServe(t, &ServeOptions{Listen: "127.0.0.1:0", Dashboard: "127.0.0.1:0", Example: "status",
		Sets: []string{"k1=40", "b1=1"}, Runtime: "cpython", Profile: "host"})
	device := urlAddr(t, out.waitLine(t, "europi-http: serving example status on "))
	dash := urlAddr(t, out.waitLine(t, "europi-http: dashboard on "))
	require.NotEqual(t, device, dash)

	var st emulator.IOState
	apiCall(t, dash, "GET", "/api/state", "", &st)
	assert.Equal(t, emulator.InputState{K1: 40, B1: 1}, st.Inputs)

	type panel struct{ Inputs map[string]float64 }
	var p panel
	require.NoError(t, json.Unmarshal([]byte(deviceGet(t, device, "/")), &p))
	assert.Equal(t, 0.4, p.Inputs["k1"])
	assert.Equal(t, 1.0, p.Inputs["b1"])

	apiCall(t, dash, "POST", "/api/inputs", `{"b1": 0}`, &st)
	assert.Equal(t, 0, st.Inputs.B1)
	// The device port answers /api/ with the script, not the dashboard.
	body := deviceGet(t, device, "/api/state")
	require.NoError(t, json.Unmarshal([]byte(body), &p), body)
	assert.Equal(t, 0.0, p.Inputs["b1"])
	assert.Contains(t, body, `"b1": 0`, "the script's json.dumps, not the dashboard's encoder")

	var status dashboard.StatusReply
	apiCall(t, dash, "GET", "/api/status", "", &status)
	assert.Equal(t, "status/main.star", status.Script)
	assert.Equal(t, "http://"+device+"/", status.DeviceURL)
	assert.Equal(t, "host", status.Profile)

	// The device serves one connection at a time and logs it before the
	// next, so the first request is logged by now.
	var log struct{ Entries []dashboard.LogEntry }
	apiCall(t, dash, "GET", "/api/log", "", &log)
	require.NotEmpty(t, log.Entries)
	assert.Equal(t, []string{"GET", "/", "200"}, []string{log.Entries[0].Method, log.Entries[0].Path, strconv.Itoa(log.Entries[0].Status)})
}

func TestServeNoDashboard(t *testing.T) {
	opts := &ServeOptions{Listen: "127.0.0.1:0", Dashboard: "127.0.0.1:0", NoDashboard: true, Runtime: "cpython", Profile: "host"}
	out := startServe(t, opts)
	device := urlAddr(t, out.waitLine(t, "europi-http: serving the embedded http_control app on "))
	assert.Contains(t, deviceGet(t, device, "/"), "<title>EuroPi CV control</title>")
	assert.NotContains(t, out.String(), "dashboard")
}

func TestServeStartErrors(t *testing.T) {
	busy, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	defer busy.Close()
	tests := []struct {
		name    string
		opts    ServeOptions
		wantErr string
	}{
		{"bad --set", ServeOptions{Sets: []string{"k1=40", "k1=101"}}, "--set: input k1: 101 is outside 0..100"},
		{"unknown --set", ServeOptions{Sets: []string{"cv1=1"}}, `--set: unknown input "cv1"`},
		{"dashboard port taken", ServeOptions{Dashboard: busy.Addr().String()}, "dashboard: listen tcp " + busy.Addr().String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Listen, opts.Runtime, opts.Profile = "127.0.0.1:0", "cpython", "host"
			if opts.Dashboard == "" {
				opts.Dashboard = "127.0.0.1:0"
			}
			opts.Out, opts.ErrOut = newLineSink(), newLineSink()
			ctx, cancel := context.WithTimeout(context.Background(), serveTimeout)
			defer cancel()
			err := runServe(ctx, &opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestDeviceURL(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 80}, "http://[::1]:80/"},
		{&net.UnixAddr{Name: "sock", Net: "unix"}, "http://sock/"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, deviceURL(tt.addr), tt.addr.String())
	}
}

// Every address other machines can reach is warned about, not only the
// unspecified ones.
func TestWarnIfExposed(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		{"127.0.0.1:8080", ""},
		{"127.0.0.2:8080", ""},
		{"[::1]:8080", ""},
		{"0.0.0.0:8080", "warning: listening on every interface (0.0.0.0:8080)"},
		{"[::]:8080", "warning: listening on every interface ([::]:8080)"},
		{":8080", "warning: listening on every interface (:8080)"},
		{"192.168.4.2:8080", "warning: listening on 192.168.4.2:8080, which is not a loopback address"},
		{"10.0.0.7:8080", "warning: listening on 10.0.0.7:8080, which is not a loopback address"},
		{"[fe80::1%eth0]:8080", "warning: listening on [fe80::1%eth0]:8080, which is not a loopback address"},
		{"[2001:db8::1]:8080", "warning: listening on [2001:db8::1]:8080, which is not a loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			var buf bytes.Buffer
			warnIfExposed(&buf, "listening", tt.addr)
			if tt.want == "" {
				assert.Empty(t, buf.String())
				return
			}
			assert.Contains(t, buf.String(), tt.want)
		})
	}
}

// serve --watch logs a saved edit's reload, or its error, at once, with
// no request to the device.
func TestServeWatchLogsAReloadAtOnce(t *testing.T) {
	script := filepath.Join(t.TempDir(), "app.star")
	const app = "server = HttpServer()\ndef get(request = None, connection = None):\n    server.send_html(connection, %q)\nserver.get_handler(get)\n"
	require.NoError(t, os.WriteFile(script, []byte(fmt.Sprintf(app, "one")), 0o644))
	opts := &ServeOptions{Listen: "127.0.0.1:0", Script: script, Watch: true, NoDashboard: true, Runtime: "cpython", Profile: "host"}
	out := startServe(t, opts)
	out.waitLine(t, "europi-http: serving "+script)
	logs := opts.ErrOut.(*lineSink)

	// waitFor waits for a log line containing want (a line prefixed with
	// the date and time), failing after serveTimeout.
	waitFor := func(want string) {
		t.Helper()
		for !strings.Contains(logs.waitLine(t, ""), want) {
			// not this line
		}
	}
	require.NoError(t, os.WriteFile(script, []byte(fmt.Sprintf(app, "two")), 0o644))
	waitFor(script + ": reloaded")
	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer(\n"), 0o644))
	waitFor(script + ": reload failed, the last good version keeps serving: " + script + ":2:1:")
}
