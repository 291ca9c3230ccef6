package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

func TestStartBinaryRefusesAnAddressOffLoopback(t *testing.T) {
	// 192.0.2.1 is TEST-NET-1: the check must refuse it before any traffic.
	_, _, err := startBinary(context.Background(), "sh", []string{"-c", `echo "serving on http://192.0.2.1:80/"; exec sleep 30`}, peerReady)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not loopback")
}

func TestWaitAnswer(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			buf := make([]byte, 1024)
			_, _ = c.Read(buf)
			if i > 0 { // the first answer is cut short: not ready yet
				_, _ = c.Write([]byte(devicePage))
			} else {
				_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n"))
			}
			_ = c.Close()
		}
	}()
	got, err := waitAnswer(context.Background(), ln.Addr().String())
	require.NoError(t, err)
	assert.Equal(t, devicePage, string(got))
	require.NoError(t, ln.Close())
	<-done

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = waitAnswer(ctx, refusedAddr(t))
	assert.ErrorContains(t, err, "no complete answer")
}

// refusedAddr returns a loopback address nothing listens on.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
