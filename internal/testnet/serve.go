package testnet

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// Deadline is the deadline every connection a fake server accepts gets
// before its handler runs, so a fake never outlives a stuck client for
// long; a handler that needs longer sets its own.
const Deadline = 5 * time.Second

// Serve runs a fake server on a loopback listener from
// nettest.NewLocalListener: each accepted connection gets Deadline and goes
// to handle, one at a time (as the device serves), and is closed when
// handle returns. It returns the listener's address; when the test ends the
// listener closes and Serve waits for the handler to return.
func Serve(t testing.TB, handle func(c *net.TCPConn)) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(Deadline))
			handle(c.(*net.TCPConn))
			_ = c.Close()
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// ServeConcurrently is Serve with each connection handled in a goroutine of
// its own, for clients that open several at once. When the test ends the
// listener and every connection still open close, and it waits for every
// handler to return.
func ServeConcurrently(t testing.TB, handle func(c *net.TCPConn)) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open[c] = true
			mu.Unlock()
			_ = c.SetDeadline(time.Now().Add(Deadline))
			wg.Go(func() {
				defer func() {
					mu.Lock()
					delete(open, c)
					mu.Unlock()
					_ = c.Close()
				}()
				handle(c.(*net.TCPConn))
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range open {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// RefusedAddr returns a loopback address that nothing listens on: a
// listener's, closed again, so a dial there is refused.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
