package server

import (
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// connectsUntilRefused dials ln, which nobody accepts from, up to n times
// and returns how many connects completed before the first that did not.
// Each dial waits long enough for a loaded machine's handshake but less
// than the SYN retransmission (1 s) a dropped SYN waits for.
func connectsUntilRefused(t *testing.T, ln net.Listener, n int) int {
	t.Helper()
	for i := range n {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 700*time.Millisecond)
		if err != nil {
			return i
		}
		t.Cleanup(func() { _ = c.Close() })
	}
	return n
}

func TestSetBacklogLimitsTheAcceptQueue(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the queue length for a backlog is Linux's (backlog + 1)")
	}
	tests := []struct {
		name    string
		backlog int
		want    int
	}{
		{"Go's default backlog queues them all", 0, 10},
		{"upstream's listen(5) queues six", Backlog, Backlog + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := nettest.NewLocalListener("tcp")
			require.NoError(t, err)
			defer ln.Close()
			if tt.backlog > 0 {
				require.NoError(t, SetBacklog(ln, tt.backlog))
			}
			assert.Equal(t, tt.want, connectsUntilRefused(t, ln, 10))
		})
	}
}

func TestListenHasUpstreamsBacklog(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the queue length for a backlog is Linux's (backlog + 1)")
	}
	s, err := Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, Backlog+1, connectsUntilRefused(t, s.ln, 10))
}

func TestSetBacklogIgnoresOtherListeners(t *testing.T) {
	ln, err := nettest.NewLocalListener("unix")
	require.NoError(t, err)
	defer ln.Close()
	assert.NoError(t, SetBacklog(ln, Backlog))
}
