package profile

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

func TestWrapWithoutRulesWrapsNothing(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		without []string
	}{
		{name: "host", profile: Host},
		{name: "pico-w without every rule", profile: PicoW, without: deviceRuleNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := nettest.NewLocalListener("tcp")
			require.NoError(t, err)
			defer raw.Close()
			p := lookup(t, tt.profile, tt.without, Params{})
			assert.Same(t, raw, p.Wrap(raw, nil))
		})
	}
}

func TestListenerDeadlineAndClose(t *testing.T) {
	raw, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	ln := lookup(t, PicoW, nil, Params{}).Wrap(raw, nil)
	assert.Equal(t, raw.Addr(), ln.Addr())

	d, ok := ln.(interface{ SetDeadline(time.Time) error })
	require.True(t, ok, "the wrapper forwards SetDeadline, as CheckRequests needs")
	require.NoError(t, d.SetDeadline(time.Now().Add(10*time.Millisecond)))
	_, err = ln.Accept()
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)

	// A connection queued but never served is closed with the listener.
	c, err := net.Dial("tcp", raw.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	l := ln.(*listener)
	l.mu.Lock()
	for len(l.pending) == 0 {
		l.waitLocked(time.Now().Add(testDeadline))
	}
	l.mu.Unlock()

	accepted := make(chan error, 1)
	require.NoError(t, d.SetDeadline(time.Time{}))
	require.NoError(t, ln.Close())
	go func() { _, err := ln.Accept(); accepted <- err }()
	assert.ErrorIs(t, <-accepted, net.ErrClosed)
	assert.Error(t, ln.Close(), "a second close fails")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(testDeadline)))
	_, err = c.Read(make([]byte, 1))
	var ne net.Error
	assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the queued client is let go, got %v", err)
}
