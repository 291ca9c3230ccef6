package testnet

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ask sends req to addr, half-closes and returns the whole answer.
func ask(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, Deadline)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(Deadline)))
	_, err = io.WriteString(c, req)
	require.NoError(t, err)
	require.NoError(t, c.(*net.TCPConn).CloseWrite())
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(got)
}

func TestServers(t *testing.T) {
	tests := []struct {
		name  string
		serve func(testing.TB, func(*net.TCPConn)) string
	}{
		{"one at a time", Serve},
		{"concurrently", ServeConcurrently},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.serve(t, Answer("pong"))
			for range 3 {
				assert.Equal(t, "pong", ask(t, addr, "ping"))
			}
		})
	}
}

func TestServeConcurrentlyClosesOpenConnectionsAtTheEnd(t *testing.T) {
	held := make(chan struct{})
	var client net.Conn
	t.Run("server", func(t *testing.T) {
		addr := ServeConcurrently(t, func(c *net.TCPConn) {
			close(held)
			_, _ = io.Copy(io.Discard, c) // until the cleanup closes it
		})
		var err error
		client, err = net.DialTimeout("tcp", addr, Deadline)
		require.NoError(t, err)
		<-held
	})
	// The subtest's cleanup has closed the server's side: the client sees
	// the end long before the handler's own deadline.
	require.NoError(t, client.SetDeadline(time.Now().Add(Deadline/2)))
	_, err := client.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
	_ = client.Close()
}

func TestRefusedAddr(t *testing.T) {
	_, err := net.DialTimeout("tcp", RefusedAddr(t), Deadline)
	assert.Error(t, err)
}

func TestSyncBuffer(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { _, _ = b.Write([]byte("ab")) })
	}
	wg.Wait()
	assert.Equal(t, "abababababababab", b.String())
}
