package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// TestMain fails the package when a server leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{"nethttp", []string{"-kind", "nethttp"}, options{kind: "nethttp", listen: "127.0.0.1:0"}, ""},
		{"bare everything", []string{"-kind", "bare", "-listen", "[::1]:9000", "-response", "r.bin"},
			options{kind: "bare", listen: "[::1]:9000", response: "r.bin"}, ""},
		{"serial with the device's backlog", []string{"-kind", "serial", "-backlog", "5"},
			options{kind: "serial", listen: "127.0.0.1:0", backlog: 5}, ""},
		{"a negative backlog", []string{"-kind", "serial", "-backlog", "-1"}, options{}, "-backlog -1: want 0"},
		{"a huge backlog", []string{"-kind", "serial", "-backlog", "70000"}, options{}, "-backlog 70000: want 0"},
		{"no kind", nil, options{}, "-kind"},
		{"unknown kind", []string{"-kind", "apache"}, options{}, "-kind"},
		{"not loopback", []string{"-kind", "bare", "-listen", "0.0.0.0:80"}, options{}, "loopback only"},
		{"a host name", []string{"-kind", "bare", "-listen", "example.com:80"}, options{}, "loopback only"},
		{"no port", []string{"-kind", "bare", "-listen", "127.0.0.1"}, options{}, "missing port"},
		{"extra args", []string{"-kind", "bare", "x"}, options{}, "unexpected arguments"},
		{"unknown flag", []string{"-speed", "9"}, options{}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLoadResponse(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o600))
		return p
	}
	tests := []struct {
		name    string
		file    string
		want    string
		wantErr string
	}{
		{"default", "", defaultResponse, ""},
		{"file", write("ok.bin", []byte("HTTP/1.0 200 OK\r\n\r\nhi")), "HTTP/1.0 200 OK\r\n\r\nhi", ""},
		{"empty", write("empty.bin", nil), "", "is empty"},
		{"huge", write("huge.bin", make([]byte, maxResponseBytes+1)), "", "larger than"},
		{"missing", filepath.Join(dir, "nope"), "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadResponse(tt.file)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestServersSendTheBytesAndClose(t *testing.T) {
	resp := []byte("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\nX=1\r\n\r\nbody \u00fc")
	for kind := range servers { // blocking too, on Linux
		t.Run(kind, func(t *testing.T) {
			ln, err := nettest.NewLocalListener("tcp")
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- servers[kind](ctx, ln, resp) }()
			req, err := loadgen.NewRequest("GET", "peer", "/", nil)
			require.NoError(t, err)
			for range 3 {
				got, err := loadgen.Fetch(context.Background(), ln.Addr().String(), req, 5*time.Second)
				require.NoError(t, err)
				assert.Equal(t, string(resp), string(got))
			}
			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(5 * time.Second):
				t.Fatal("the server did not stop when its context ended")
			}
			_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
			assert.Error(t, err, "the listener is closed")
		})
	}
}

func TestRunPrintsItsAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	outR, outW := newLineChan()
	go func() { done <- run(ctx, options{kind: "bare", listen: "127.0.0.1:0"}, outW) }()
	var line string
	select {
	case line = <-outR:
	case <-time.After(5 * time.Second):
		t.Fatal("run printed nothing")
	}
	m := regexp.MustCompile(`^benchpeer: bare serving on http://(127\.0\.0\.1:\d+)/\n$`).FindStringSubmatch(line)
	require.NotNil(t, m, line)
	got, err := loadgen.Fetch(context.Background(), m[1], []byte("GET / HTTP/1.1\r\n\r\n"), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, defaultResponse, string(got))
	cancel()
	require.NoError(t, <-done)
}

// lineChan is a writer that hands each Write to a channel.
type lineChan chan string

func newLineChan() (<-chan string, lineChan) {
	ch := make(lineChan, 4)
	return ch, ch
}

func (c lineChan) Write(p []byte) (int, error) {
	c <- string(p)
	return len(p), nil
}
