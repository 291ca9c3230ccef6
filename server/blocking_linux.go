//go:build linux

package server

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// blockingPollLimit bounds one wait in Accept, so a listener closed
// directly (not through the server) is noticed: Go's Close cannot wake a
// poll(2) it does not know of.
const blockingPollLimit = 100 * time.Millisecond

// blockingListener accepts for the serving loop with blocking system calls
// on the loop's own thread: poll(2) on the listening socket, then
// accept4(2), whose connection is a blockingConn. One connection at a time
// is what the device does, and done this way each request costs fewer
// system calls and scheduler hand-offs than through Go's network poller:
// no epoll registration per connection, no EAGAIN and park before each
// read, no goroutine woken by another thread. SetDeadline and Close wake a
// blocked Accept through a pipe.
type blockingListener struct {
	tl   *net.TCPListener
	addr *net.TCPAddr
	rc   syscall.RawConn
	wake [2]int // a pipe: a byte written to wake[1] ends a wait

	deadline atomic.Int64 // UnixNano; 0: none
	closed   atomic.Bool
	acceptMu sync.Mutex // held by Accept, so Close frees the pipe after it
	// take is takeConn bound once, and got what it found: Accept passes
	// them to Control without allocating a closure per connection.
	take func(fd uintptr)
	got  struct {
		wait unix.Timespec
		fd   int
		sa   unix.Sockaddr
		err  error
	}
	pipeMu   sync.Mutex // guards writes to the pipe against its closing
	pipeOpen bool
}

// fastListener returns ln served with blocking system calls when it is a
// TCP listener, or ln itself.
func fastListener(ln net.Listener) net.Listener {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return ln
	}
	rc, err := tl.SyscallConn()
	if err != nil {
		return ln
	}
	l := &blockingListener{tl: tl, rc: rc, pipeOpen: true}
	l.addr, _ = tl.Addr().(*net.TCPAddr)
	l.take = l.takeConn
	if err := unix.Pipe2(l.wake[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return ln
	}
	return l
}

// Accept waits for a connection and returns it as a blockingConn.
func (l *blockingListener) Accept() (net.Conn, error) {
	l.acceptMu.Lock()
	defer l.acceptMu.Unlock()
	for {
		if l.closed.Load() {
			return nil, l.opError(net.ErrClosed)
		}
		wait, expired := l.wait()
		if expired {
			return nil, l.opError(os.ErrDeadlineExceeded)
		}
		l.got.wait, l.got.fd, l.got.sa, l.got.err = wait, -1, nil, nil
		err := l.rc.Control(l.take)
		nfd, sa, aerr := l.got.fd, l.got.sa, l.got.err
		l.got.sa, l.got.err = nil, nil
		switch {
		case err != nil:
			return nil, l.opError(err) // closed directly
		case errors.Is(aerr, unix.EAGAIN), errors.Is(aerr, unix.ECONNABORTED), errors.Is(aerr, unix.EINTR):
			continue // as Go's accept does
		case aerr != nil:
			return nil, l.opError(os.NewSyscallError("accept4", aerr))
		case nfd >= 0:
			return newBlockingConn(nfd, sa, l.addr), nil
		}
	}
}

// takeConn accepts the next connection on the listening socket fd into
// l.got, waiting up to l.got.wait for one; it leaves l.got.fd -1 when none
// came.
func (l *blockingListener) takeConn(fd uintptr) {
	g := &l.got
	// A busy server's next client is already queued: take it without a
	// poll. The listening socket itself stays non-blocking, so an empty
	// queue answers EAGAIN.
	if g.fd, g.sa, g.err = unix.Accept4(int(fd), unix.SOCK_CLOEXEC); !errors.Is(g.err, unix.EAGAIN) {
		return
	}
	fds := [2]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(l.wake[0]), Events: unix.POLLIN}}
	if _, err := unix.Ppoll(fds[:], &g.wait, nil); err != nil {
		return // EINTR: look again
	}
	if fds[1].Revents != 0 {
		l.drain()
	}
	if fds[0].Revents != 0 {
		g.fd, g.sa, g.err = unix.Accept4(int(fd), unix.SOCK_CLOEXEC)
	}
}

// wait returns how long the next poll may wait, or that the deadline
// passed.
func (l *blockingListener) wait() (unix.Timespec, bool) {
	limit := blockingPollLimit
	if d := l.deadline.Load(); d != 0 {
		left := time.Until(time.Unix(0, d))
		if left <= 0 {
			return unix.Timespec{}, true
		}
		limit = min(limit, left)
	}
	return unix.NsecToTimespec(limit.Nanoseconds()), false
}

// drain empties the wake pipe.
func (l *blockingListener) drain() {
	var buf [64]byte
	for {
		if n, err := unix.Read(l.wake[0], buf[:]); n <= 0 || err != nil {
			return
		}
	}
}

// interruptWait ends a wait in progress.
func (l *blockingListener) interruptWait() {
	l.pipeMu.Lock()
	defer l.pipeMu.Unlock()
	if l.pipeOpen {
		_, _ = unix.Write(l.wake[1], []byte{0})
	}
}

// SetDeadline sets the deadline for Accept, as on a *net.TCPListener.
func (l *blockingListener) SetDeadline(t time.Time) error {
	if l.closed.Load() {
		return l.opError(net.ErrClosed)
	}
	var d int64
	if !t.IsZero() {
		d = max(t.UnixNano(), 1)
	}
	l.deadline.Store(d)
	l.interruptWait()
	return nil
}

// Close closes the listening socket and ends an Accept in progress.
func (l *blockingListener) Close() error {
	if !l.closed.CompareAndSwap(false, true) {
		return l.opError(net.ErrClosed)
	}
	l.interruptWait()
	err := l.tl.Close()
	// An Accept in progress wakes and returns; then nothing reads the pipe.
	l.acceptMu.Lock()
	defer l.acceptMu.Unlock()
	l.pipeMu.Lock()
	defer l.pipeMu.Unlock()
	l.pipeOpen = false
	_ = unix.Close(l.wake[0])
	_ = unix.Close(l.wake[1])
	return err
}

// tcp returns the TCP listener underneath, for SetBacklog.
func (l *blockingListener) tcp() *net.TCPListener { return l.tl }

// Addr returns the listener's address.
func (l *blockingListener) Addr() net.Addr { return l.tl.Addr() }

func (l *blockingListener) opError(err error) error {
	return &net.OpError{Op: "accept", Net: "tcp", Addr: l.tl.Addr(), Err: err}
}
