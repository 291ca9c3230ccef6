package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// testDeadline bounds every network wait in these tests.
const testDeadline = 5 * time.Second

// newTestServer returns a server on a local listener with the fixture
// installed and a log sink, closed when the test ends.
func newTestServer(t *testing.T) (*HttpServer, *testnet.SyncBuffer) {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	s := New(ln)
	logs := &testnet.SyncBuffer{}
	s.Logger = log.New(logs, "", 0)
	installFixture(s)
	t.Cleanup(func() { _ = s.Close() })
	return s, logs
}

// serveInBackground runs s.Serve until the test ends.
func serveInBackground(t *testing.T, s *HttpServer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(testDeadline):
			t.Error("Serve did not return after its context ended")
		}
	})
}

// exchange is what a raw client saw.
type exchange struct {
	Response []byte
	Reset    bool
}

// rawExchange connects to addr, sends each chunk (a nil chunk half-closes),
// then reads until EOF or reset.
func rawExchange(t *testing.T, addr string, chunks ...[]byte) exchange {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, testDeadline)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(testDeadline)))
	for _, chunk := range chunks {
		if chunk == nil {
			require.NoError(t, c.(*net.TCPConn).CloseWrite())
			continue
		}
		_, err := c.Write(chunk)
		require.NoError(t, err)
	}
	var out bytes.Buffer
	_, err = io.Copy(&out, c)
	reset := errors.Is(err, syscall.ECONNRESET)
	if err != nil && !reset {
		require.NoError(t, err)
	}
	return exchange{Response: out.Bytes(), Reset: reset}
}
