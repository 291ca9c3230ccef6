//go:build linux

package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
	"golang.org/x/sys/unix"
)

// wakeLimit bounds how long a blocked call may take to notice what should
// wake it, on a loaded machine.
const wakeLimit = 5 * time.Second

// newBlockingPair returns a blockingListener, a client connected to it and
// the blockingConn it accepted, over IPv4 or IPv6.
func newBlockingPair(t *testing.T) (*blockingListener, net.Conn, *blockingConn) {
	t.Helper()
	return newBlockingPairOn(t, "tcp")
}

// newBlockingPairOn is newBlockingPair on network, "tcp4" or "tcp6" too.
func newBlockingPairOn(t *testing.T, network string) (*blockingListener, net.Conn, *blockingConn) {
	t.Helper()
	ln, err := nettest.NewLocalListener(network)
	require.NoError(t, err)
	bl, ok := fastListener(ln).(*blockingListener)
	require.True(t, ok, "a TCP listener is served with blocking calls")
	t.Cleanup(func() { _ = bl.Close() })
	client, err := net.Dial("tcp", bl.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	nc, err := bl.Accept()
	require.NoError(t, err)
	bc := nc.(*blockingConn)
	t.Cleanup(func() { _ = bc.Close() })
	return bl, client, bc
}

// acceptOne connects to bl, accepts the connection and closes it.
func acceptOne(t *testing.T, bl *blockingListener) {
	t.Helper()
	client, err := net.Dial("tcp", bl.Addr().String())
	require.NoError(t, err)
	defer client.Close()
	nc, err := bl.Accept()
	require.NoError(t, err)
	require.NoError(t, nc.Close())
}

// wakes runs call in a goroutine, waits until started reports it under
// way, runs wake and returns call's error, failing the test if call is not
// woken within wakeLimit.
func wakes(t *testing.T, call func() error, started func() bool, wake func()) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	deadline := time.Now().Add(wakeLimit)
	for !started() && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	wake()
	select {
	case err := <-done:
		return err
	case <-time.After(wakeLimit):
		t.Fatal("the call was not woken")
		return nil
	}
}

// accepting reports whether an Accept is under way on bl.
func accepting(bl *blockingListener) bool {
	return bl.accepts.Load() > 0
}

// reading reports whether a Read is under way on bc.
func reading(bc *blockingConn) bool {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	return bc.reading > 0
}

func TestBlockingListenerWakes(t *testing.T) {
	tests := []struct {
		name  string
		wake  func(bl *blockingListener)
		check func(t *testing.T, err error)
	}{
		{"a deadline passes", func(bl *blockingListener) { require.NoError(t, bl.SetDeadline(time.Now().Add(20*time.Millisecond))) },
			func(t *testing.T, err error) {
				var ne net.Error
				require.ErrorAs(t, err, &ne)
				assert.True(t, ne.Timeout())
				assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
			}},
		{"a deadline set in the past", func(bl *blockingListener) { _ = bl.SetDeadline(time.Now().Add(-time.Second)) },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, os.ErrDeadlineExceeded) }},
		{"Close", func(bl *blockingListener) { require.NoError(t, bl.Close()) },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, net.ErrClosed) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := nettest.NewLocalListener("tcp")
			require.NoError(t, err)
			bl := fastListener(ln).(*blockingListener)
			defer bl.Close()
			err = wakes(t, func() error {
				_, err := bl.Accept()
				return err
			}, func() bool { return accepting(bl) }, func() { tt.wake(bl) })
			tt.check(t, err)
		})
	}
}

// Between connections Accept waits in Go's network poller, parked where any
// of Go's threads can resume it, not in a system call holding a thread.
func TestBlockingListenerWaitsInThePoller(t *testing.T) {
	state := ""
	bl, accepted := acceptInBackground(t, func(*blockingListener) bool {
		state = goroutineState("(*blockingListener).Accept")
		return state == "IO wait"
	})
	// A connection ends the wait wherever it is, so that Close can run.
	client, err := net.Dial("tcp", bl.Addr().String())
	require.NoError(t, err)
	defer client.Close()
	if nc := <-accepted; nc != nil {
		_ = nc.Close()
	}
	assert.Equal(t, "IO wait", state, "the waiting Accept's goroutine")
}

// Once an Accept's wait is over, connections no longer reach the poller:
// the socket is disarmed in the listener's epoll instance, so a queued
// connection that nobody waits for wakes no thread.
func TestBlockingListenerDisarmsAfterAWait(t *testing.T) {
	bl, accepted := acceptInBackground(t, accepting)
	first, err := net.Dial("tcp", bl.Addr().String())
	require.NoError(t, err)
	defer first.Close()
	nc := <-accepted
	require.NotNil(t, nc)
	defer nc.Close()

	second, err := net.Dial("tcp", bl.Addr().String()) // queued, not waited for
	require.NoError(t, err)
	defer second.Close()
	fds := []unix.PollFd{{Fd: int32(bl.fd), Events: unix.POLLIN}}
	_, err = unix.Poll(fds, int(wakeLimit.Milliseconds()))
	require.NoError(t, err)
	require.NotZero(t, fds[0].Revents, "the second connection is queued")
	fds = []unix.PollFd{{Fd: int32(bl.ep), Events: unix.POLLIN}}
	_, err = unix.Poll(fds, 0)
	require.NoError(t, err)
	assert.Zero(t, fds[0].Revents, "the epoll instance the poller watches stays quiet")
	assert.False(t, bl.armed)
}

// acceptInBackground starts an Accept on a new blockingListener in a
// goroutine, which sends what it accepted on the channel, and returns once
// ready reports the Accept under way or wakeLimit has passed.
func acceptInBackground(t *testing.T, ready func(*blockingListener) bool) (*blockingListener, <-chan net.Conn) {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	bl := fastListener(ln).(*blockingListener)
	t.Cleanup(func() { _ = bl.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		nc, _ := bl.Accept()
		accepted <- nc
	}()
	for deadline := time.Now().Add(wakeLimit); !ready(bl) && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	return bl, accepted
}

// goroutineState returns the state Go's stack dump gives the goroutine
// whose stack names fn, such as "IO wait" or "syscall"; "" when none does.
func goroutineState(fn string) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		open, end := strings.IndexByte(g, '['), strings.IndexByte(g, ']')
		if strings.Contains(g, fn) && open >= 0 && end > open {
			state, _, _ := strings.Cut(g[open+1:end], ",") // "IO wait, 2 minutes"
			return state
		}
	}
	return ""
}

// The listener takes the socket over from Go's, and listens on the same
// address.
func TestBlockingListenerTakesTheSocketOver(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	bl := fastListener(ln).(*blockingListener)
	defer bl.Close()
	_, err = ln.Accept()
	assert.ErrorIs(t, err, net.ErrClosed, "Go's listener is closed")
	assert.Equal(t, ln.Addr().String(), bl.Addr().String())
	require.NoError(t, SetBacklog(bl, Backlog))
	acceptOne(t, bl)
}

func TestBlockingListenerDeadlineCanBeCleared(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	bl := fastListener(ln).(*blockingListener)
	defer bl.Close()
	require.NoError(t, bl.SetDeadline(time.Now().Add(-time.Second)))
	_, err = bl.Accept()
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	require.NoError(t, bl.SetDeadline(time.Time{}))
	acceptOne(t, bl)
	assert.ErrorIs(t, bl.Close(), nil)
	assert.ErrorIs(t, bl.Close(), net.ErrClosed)
	assert.ErrorIs(t, bl.SetDeadline(time.Now()), net.ErrClosed)
}

func TestBlockingConnReadsWritesAndNamesItsEnds(t *testing.T) {
	_, client, bc := newBlockingPair(t)
	assert.Equal(t, client.LocalAddr().String(), bc.RemoteAddr().String())
	assert.Equal(t, client.RemoteAddr().String(), bc.LocalAddr().String())

	_, err := client.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 1024)
	n, err := bc.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "GET / HTTP/1.1\r\n\r\n", string(buf[:n]))

	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB: more than the socket holds
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(client); got <- b }()
	n, err = bc.Write(big)
	require.NoError(t, err)
	assert.Equal(t, len(big), n, "Write sends everything")
	require.NoError(t, bc.Close())
	assert.Equal(t, big, <-got)
	assert.ErrorIs(t, bc.Close(), net.ErrClosed)
	_, err = bc.Read(buf)
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestBlockingConnEOF(t *testing.T) {
	_, client, bc := newBlockingPair(t)
	require.NoError(t, client.(*net.TCPConn).CloseWrite())
	n, err := bc.Read(make([]byte, 16))
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err, "EOF as it is, as *net.TCPConn returns it")
}

func TestBlockingConnWakes(t *testing.T) {
	tests := []struct {
		name  string
		wake  func(bc *blockingConn)
		check func(t *testing.T, err error)
	}{
		{"a read deadline passes", func(bc *blockingConn) {}, func(t *testing.T, err error) {
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
			assert.Regexp(t, `^read tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: i/o timeout$`, err.Error(), "Go's text")
		}},
		{"a deadline set in the past", func(bc *blockingConn) { require.NoError(t, bc.SetDeadline(time.Now())) },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, os.ErrDeadlineExceeded) }},
		{"a read deadline set in the past", func(bc *blockingConn) { require.NoError(t, bc.SetReadDeadline(time.Now().Add(-time.Hour))) },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, os.ErrDeadlineExceeded) }},
		{"Close", func(bc *blockingConn) { require.NoError(t, bc.Close()) },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, net.ErrClosed) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, bc := newBlockingPair(t) // the client sends nothing
			if tt.name == "a read deadline passes" {
				require.NoError(t, bc.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
			}
			err := wakes(t, func() error {
				_, err := bc.Read(make([]byte, 16))
				return err
			}, func() bool { return reading(bc) }, func() { tt.wake(bc) })
			tt.check(t, err)
			fd := bc.fd
			if tt.name != "Close" {
				require.NoError(t, bc.SetDeadline(time.Time{}), "still open")
				require.NoError(t, bc.Close())
			}
			_, err = unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
			assert.ErrorIs(t, err, unix.EBADF, "the descriptor is closed once nothing uses it")
		})
	}
}

func TestBlockingConnSocketOptions(t *testing.T) {
	_, client, bc := newBlockingPair(t)
	rc, err := bc.SyscallConn()
	require.NoError(t, err)
	var keepAlive, noDelay int
	require.NoError(t, rc.Control(func(fd uintptr) {
		keepAlive, _ = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_KEEPALIVE)
		noDelay, _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_NODELAY)
	}))
	assert.Zero(t, keepAlive, "no keep-alive, as upstream's sockets")
	assert.Equal(t, 1, noDelay, "no Nagle delay, as Go's TCP connections")

	// SetLinger(0): the close resets the connection.
	require.NoError(t, bc.SetLinger(0))
	require.NoError(t, bc.Close())
	require.NoError(t, client.SetReadDeadline(time.Now().Add(wakeLimit)))
	_, err = client.Read(make([]byte, 1))
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "got %v", err)
	assert.ErrorIs(t, bc.SetLinger(0), net.ErrClosed)
}

// A reset that came before the Read is its error, as on a *net.TCPConn:
// the kernel reports a reset once, so the first, raw try at reading must
// not swallow it and leave the EOF a second read finds.
func TestBlockingConnReportsAReset(t *testing.T) {
	_, client, bc := newBlockingPair(t)
	require.NoError(t, client.(*net.TCPConn).SetLinger(0))
	require.NoError(t, client.Close())
	fds := []unix.PollFd{{Fd: int32(bc.fd), Events: unix.POLLIN}}
	_, err := unix.Poll(fds, int(wakeLimit.Milliseconds()))
	require.NoError(t, err)
	require.NotZero(t, fds[0].Revents, "the reset arrived")
	_, err = bc.Read(make([]byte, 16))
	assert.ErrorIs(t, err, syscall.ECONNRESET)
}

// Closing a connection may wait only when SO_LINGER asks for it, and then
// the close goes through the runtime (see rawcall_linux.go); anything done
// through SyscallConn may have asked.
func TestBlockingConnLingers(t *testing.T) {
	tests := []struct {
		name string
		set  func(bc *blockingConn) error
		want bool
	}{
		{"by default", func(*blockingConn) error { return nil }, false},
		{"SetLinger(-1)", func(bc *blockingConn) error { return bc.SetLinger(-1) }, false},
		{"SetLinger(0), a reset", func(bc *blockingConn) error { return bc.SetLinger(0) }, false},
		{"SetLinger(5)", func(bc *blockingConn) error { return bc.SetLinger(5) }, true},
		{"SetLinger(5) then SetLinger(-1)", func(bc *blockingConn) error {
			return errors.Join(bc.SetLinger(5), bc.SetLinger(-1))
		}, false},
		{"SyscallConn", func(bc *blockingConn) error {
			rc, err := bc.SyscallConn()
			if err != nil {
				return err
			}
			return rc.Control(func(uintptr) {})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, bc := newBlockingPair(t)
			require.NoError(t, tt.set(bc))
			bc.mu.Lock()
			defer bc.mu.Unlock()
			assert.Equal(t, tt.want, bc.lingers)
		})
	}
}

// An IPv6 peer is named as Go's net names it.
func TestBlockingConnNamesAnIPv6Peer(t *testing.T) {
	if !nettest.SupportsIPv6() {
		t.Skip("no IPv6 on this machine")
	}
	_, client, nc := newBlockingPairOn(t, "tcp6")
	assert.Equal(t, client.LocalAddr().String(), nc.RemoteAddr().String())
	assert.Equal(t, client.RemoteAddr().String(), nc.LocalAddr().String())
}
