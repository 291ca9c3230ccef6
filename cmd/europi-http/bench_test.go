package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/internal/loadgen"
	"github.com/europi-http/europi-http/internal/testnet"
)

func TestBenchFlags(t *testing.T) {
	def := func(change func(*BenchOptions)) BenchOptions {
		o := BenchOptions{Target: "http://127.0.0.1:8080/", Connections: 1, Duration: 10 * time.Second,
			Method: "GET", Timeout: 5 * time.Second}
		if change != nil {
			change(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    BenchOptions
		wantErr string
	}{
		{"defaults", []string{"--target", "http://127.0.0.1:8080/"}, def(nil), ""},
		{"everything", []string{"--target", "http://127.0.0.1:8080/", "-c", "16", "--requests", "500",
			"--path", "/json", "--method", "POST", "--body", "b.json", "--timeout", "2s", "--expect-body", "120", "--json"},
			def(func(o *BenchOptions) {
				o.Connections, o.Duration, o.Requests, o.Path, o.Method, o.BodyFile = 16, 0, 500, "/json", "POST", "b.json"
				o.Timeout, o.ExpectBody, o.JSON = 2*time.Second, 120, true
			}), ""},
		{"duration", []string{"--target", "x", "--duration", "3s"}, def(func(o *BenchOptions) { o.Target, o.Duration = "x", 3*time.Second }), ""},
		{"no target", nil, BenchOptions{}, "--target is required"},
		{"duration and requests", []string{"--target", "x", "-d", "1s", "-n", "3"}, BenchOptions{}, "none of the others can be"},
		{"zero connections", []string{"--target", "x", "-c", "0"}, BenchOptions{}, "--connections must be between"},
		{"too many connections", []string{"--target", "x", "-c", "100000"}, BenchOptions{}, "--connections must be between"},
		{"negative duration", []string{"--target", "x", "-d", "-1s"}, BenchOptions{}, "--duration must be positive"},
		{"negative requests", []string{"--target", "x", "-n", "-1"}, BenchOptions{}, "--requests must be positive"},
		{"zero timeout", []string{"--target", "x", "--timeout", "0s"}, BenchOptions{}, "--timeout must be positive"},
		{"negative expect", []string{"--target", "x", "--expect-body", "-1"}, BenchOptions{}, "--expect-body"},
		{"body without method", []string{"--target", "x", "--body", "b.json"}, BenchOptions{}, "give --method too"},
		{"bad duration", []string{"--target", "x", "-d", "soon"}, BenchOptions{}, "invalid argument"},
		{"no positional args", []string{"--target", "x", "extra"}, BenchOptions{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdBench, tt.args, tt.want, tt.wantErr)
		})
	}
}

// benchDeviceResponse is what the device sends for a page.
const benchDeviceResponse = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n<h1>EuroPi</h1>"

// startBenchPeer serves benchDeviceResponse on a local listener, one
// connection per request, and records each request it read.
func startBenchPeer(t *testing.T) (addr string, requests func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	addr = testnet.Serve(t, func(c *net.TCPConn) {
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		mu.Lock()
		got = append(got, string(buf[:n]))
		mu.Unlock()
		_, _ = c.Write([]byte(benchDeviceResponse))
	})
	return addr, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

func TestRunBenchText(t *testing.T) {
	addr, requests := startBenchPeer(t)
	var out, errOut bytes.Buffer
	err := runBench(context.Background(), &BenchOptions{Target: "http://" + addr + "/x", Connections: 2, Requests: 6,
		Method: "GET", Timeout: 5 * time.Second, ExpectBody: 15, Out: &out, ErrOut: &errOut})
	require.NoError(t, err)
	text := out.String()
	assert.Contains(t, text, "GET /x, 2 connections, 6 requests")
	assert.Contains(t, text, "requests    6 in ")
	assert.Contains(t, text, "6 ok, 0 failed")
	assert.Regexp(t, `requests/s  \d+\.\d`, text)
	assert.Regexp(t, `latency     p50 \S+  p90 \S+  p99 \S+  max \S+`, text)
	assert.Contains(t, text, "statuses    200: 6")
	assert.Contains(t, text, "errors      refused 0  reset 0  timeout 0  short body 0  other 0")
	reqs := requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, "GET /x HTTP/1.1\r\nHost: "+addr+"\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\n\r\n", reqs[0])
}

func TestRunBenchJSONWithBody(t *testing.T) {
	addr, requests := startBenchPeer(t)
	body := filepath.Join(t.TempDir(), "cvs.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"cv1": 5}`), 0o600))
	var out, errOut bytes.Buffer
	err := runBench(context.Background(), &BenchOptions{Target: addr, Connections: 1, Requests: 2, Path: "/post",
		Method: "POST", BodyFile: body, Timeout: 5 * time.Second, JSON: true, Out: &out, ErrOut: &errOut})
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
	assert.Equal(t, "POST", got["method"])
	assert.Equal(t, "/post", got["path"])
	assert.EqualValues(t, 2, got["ok"])
	assert.EqualValues(t, 2, got["requests"])
	assert.Contains(t, got, "latency")
	assert.Equal(t, map[string]any{"refused": 0.0, "reset": 0.0, "timeout": 0.0, "short_body": 0.0, "other": 0.0}, got["errors"])
	assert.Contains(t, requests()[0], "Content-Length: 10\r\n\r\n{\"cv1\": 5}")
}

func TestRunBenchFailures(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	refused := ln.Addr().String()
	require.NoError(t, ln.Close())
	missing := filepath.Join(t.TempDir(), "missing.json")
	big := filepath.Join(t.TempDir(), "big.bin")
	require.NoError(t, os.WriteFile(big, make([]byte, 2<<20), 0o600))
	tests := []struct {
		name     string
		opts     BenchOptions
		wantErr  string
		wantText string
	}{
		{"refused", BenchOptions{Target: refused, Requests: 3}, "no complete response", "refused 3"},
		{"bad target", BenchOptions{Target: "https://127.0.0.1/", Requests: 1}, "only http://", ""},
		{"bad method", BenchOptions{Target: refused, Method: "GE T", Requests: 1}, "method", ""},
		{"missing body", BenchOptions{Target: refused, Method: "POST", BodyFile: missing, Requests: 1}, "--body", ""},
		{"huge body", BenchOptions{Target: refused, Method: "POST", BodyFile: big, Requests: 1}, "larger than", ""},
		// Said before the run: the header line is not printed.
		{"a name that does not resolve", BenchOptions{Target: "http://no-such-host.invalid/", Requests: 3}, "cannot resolve no-such-host.invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			o := tt.opts
			o.Out, o.ErrOut, o.Connections, o.Timeout = &out, &errOut, 1, 5*time.Second
			if o.Method == "" {
				o.Method = "GET"
			}
			err := runBench(context.Background(), &o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, out.String(), tt.wantText)
			if tt.wantText == "" {
				assert.NotContains(t, out.String(), "requests", "nothing was sent")
			}
		})
	}
}

func TestRunBenchWarnsAboutLongRequests(t *testing.T) {
	addr, _ := startBenchPeer(t)
	body := filepath.Join(t.TempDir(), "long.txt")
	require.NoError(t, os.WriteFile(body, bytes.Repeat([]byte("x"), 2000), 0o600))
	var out, errOut bytes.Buffer
	// The peer reads one segment and closes: the rest of the body may reset
	// the connection, which is the device's behaviour too.
	_ = runBench(context.Background(), &BenchOptions{Target: addr, Connections: 1, Requests: 1, Method: "POST",
		BodyFile: body, Timeout: 5 * time.Second, Out: &out, ErrOut: &errOut})
	assert.Contains(t, errOut.String(), "reads only the first 1024")
}

func TestFmtDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "-"},
		{85 * time.Microsecond, "85µs"},
		{1234 * time.Microsecond, "1.23ms"},
		{45600 * time.Microsecond, "45.6ms"},
		{2500 * time.Millisecond, "2.50s"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fmtDuration(tt.d), tt.d)
	}
}

func TestProgressLineOnAPipe(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressLine(&buf)
	p.print(loadgen.Progress{Elapsed: 2 * time.Second, OK: 100, Errors: 1, Rate: 50})
	p.print(loadgen.Progress{Elapsed: 3 * time.Second, OK: 150, Errors: 1, Rate: 50})
	p.print(loadgen.Progress{Elapsed: 3 * time.Second, OK: 150, Errors: 1, Final: true})
	assert.Equal(t, "   2.0s       100 ok       1 errors        50 req/s\n   3.0s       150 ok       1 errors        50 req/s\n", buf.String())
}
