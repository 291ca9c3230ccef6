//go:build linux

package server

import (
	"context"
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Like upstream's sockets, accepted connections have no TCP keep-alive,
// which Go's net would turn on.
func TestListenTCPNoKeepAlive(t *testing.T) {
	ln, err := ListenTCP(context.Background(), "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	ac, err := ln.Accept()
	require.NoError(t, err)
	defer ac.Close()
	rc, err := ac.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)
	var on int
	var optErr error
	require.NoError(t, rc.Control(func(fd uintptr) {
		on, optErr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
	}))
	require.NoError(t, optErr)
	assert.Equal(t, 0, on)
}
