//go:build linux

package server

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// blockingListener accepts for the serving loop with blocking system calls
// on the loop's own thread: poll(2) on the listening socket, then
// accept4(2), whose connection is a blockingConn. One connection at a time
// is what the device does, and done this way each request costs fewer
// system calls and scheduler hand-offs than through Go's network poller:
// no epoll registration per connection, no EAGAIN and park before each
// read, no goroutine woken by another thread. It holds the socket on a
// descriptor of its own and closes Go's: a socket Go's poller still watched
// would wake its thread at every connection. SetDeadline and Close wake a
// blocked Accept through a pipe.
type blockingListener struct {
	fd   int // the listening socket, non-blocking
	addr *net.TCPAddr
	wake [2]int // a pipe: a byte written to wake[1] ends a wait

	deadline atomic.Int64 // UnixNano; 0: none
	closed   atomic.Bool
	acceptMu sync.Mutex // held by Accept, so Close frees the pipe after it
	pipeMu   sync.Mutex // guards writes to the pipe against its closing
	pipeOpen bool
}

// fastListener returns ln served with blocking system calls when it is a
// TCP listener, or ln itself. It takes the socket over: ln is closed.
func fastListener(ln net.Listener) net.Listener {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return ln
	}
	rc, err := tl.SyscallConn()
	if err != nil {
		return ln
	}
	fd, derr := -1, error(nil)
	if err := rc.Control(func(s uintptr) { fd, derr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil || derr != nil {
		return ln
	}
	l := &blockingListener{fd: fd, pipeOpen: true}
	l.addr, _ = tl.Addr().(*net.TCPAddr)
	if err := unix.Pipe2(l.wake[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		_ = unix.Close(fd)
		return ln
	}
	// Go's descriptor goes, and with it the poller's watch on the socket;
	// the socket stays open on fd.
	_ = tl.Close()
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
		nfd, sa, aerr := l.take(wait)
		switch {
		case errors.Is(aerr, unix.EAGAIN), errors.Is(aerr, unix.ECONNABORTED), errors.Is(aerr, unix.EINTR):
			continue // as Go's accept does
		case aerr != nil:
			return nil, l.opError(os.NewSyscallError("accept4", aerr))
		case nfd >= 0:
			return newBlockingConn(nfd, sa, l.addr), nil
		}
	}
}

// take accepts the next connection, waiting up to wait (nil: as long as
// it takes) for one or for a wake-up; it returns EAGAIN when none came.
func (l *blockingListener) take(wait *unix.Timespec) (int, unix.Sockaddr, error) {
	// Poll first, even when a busy server's next client is already
	// queued (the poll then returns at once): an accept4 that finds the
	// queue empty costs several times a poll, because the kernel sets up
	// the new socket's file before it looks at the queue.
	fds := [2]unix.PollFd{{Fd: int32(l.fd), Events: unix.POLLIN}, {Fd: int32(l.wake[0]), Events: unix.POLLIN}}
	if _, err := unix.Ppoll(fds[:], wait, nil); err != nil {
		return -1, nil, unix.EAGAIN // EINTR: look again
	}
	if fds[1].Revents != 0 {
		l.drain()
	}
	if fds[0].Revents == 0 {
		return -1, nil, unix.EAGAIN
	}
	return unix.Accept4(l.fd, unix.SOCK_CLOEXEC)
}

// wait returns how long the next poll may wait (nil: no deadline), or that
// the deadline passed.
func (l *blockingListener) wait() (*unix.Timespec, bool) {
	d := l.deadline.Load()
	if d == 0 {
		return nil, false
	}
	left := time.Until(time.Unix(0, d))
	if left <= 0 {
		return nil, true
	}
	ts := unix.NsecToTimespec(left.Nanoseconds())
	return &ts, false
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
	// An Accept in progress wakes and returns; then nothing uses the
	// socket or reads the pipe, and their numbers may be reused.
	l.acceptMu.Lock()
	defer l.acceptMu.Unlock()
	l.pipeMu.Lock()
	defer l.pipeMu.Unlock()
	l.pipeOpen = false
	err := unix.Close(l.fd)
	_ = unix.Close(l.wake[0])
	_ = unix.Close(l.wake[1])
	if err != nil {
		return l.opError(os.NewSyscallError("close", err))
	}
	return nil
}

// listenAgain calls listen(2) with backlog n on the socket, for
// SetBacklog.
func (l *blockingListener) listenAgain(n int) error {
	l.pipeMu.Lock() // the socket is open while the pipe is
	defer l.pipeMu.Unlock()
	if !l.pipeOpen {
		return l.opError(net.ErrClosed)
	}
	return setBacklog(uintptr(l.fd), n)
}

// Addr returns the listener's address.
func (l *blockingListener) Addr() net.Addr { return l.addr }

func (l *blockingListener) opError(err error) error {
	return &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: err}
}
