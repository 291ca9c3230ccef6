package main

import (
	"context"
	"net"
	"testing"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartBinaryRefusesAnAddressOffLoopback(t *testing.T) {
	// 192.0.2.1 is TEST-NET-1: the check must refuse it before any traffic.
	_, _, err := startBinary(context.Background(), "sh", []string{"-c", `echo "serving on http://192.0.2.1:80/"; exec sleep 30`}, peerReady)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not loopback")
}

func TestWaitAnswer(t *testing.T) {
	answers := 0
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		testnet.ReadRequest(c)
		if answers++; answers > 1 { // the first answer is cut short: not ready yet
			_, _ = c.Write([]byte(devicePage))
		} else {
			_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n"))
		}
	})
	got, err := waitAnswer(context.Background(), addr)
	require.NoError(t, err)
	assert.Equal(t, devicePage, string(got))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = waitAnswer(ctx, testnet.RefusedAddr(t))
	assert.ErrorContains(t, err, "no complete answer")
}
