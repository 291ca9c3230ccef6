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

// blockingListener accepts for the serving loop: it waits for the next
// connection in Go's network poller, then accepts it with accept4(2) as a
// blockingConn, which the loop reads and writes with blocking system calls
// on its own thread. One connection at a time is what the device does, and
// a request served with blocking calls costs fewer system calls and
// scheduler hand-offs than through the poller: no epoll registration per
// connection, no EAGAIN and park before each read, no goroutine woken by
// another thread.
//
// The wait between connections stays in the poller because it is the long
// one: a goroutine parked there can be resumed by any of Go's threads,
// where a thread blocked in poll(2) waits for its own CPU. On a virtual
// machine whose host takes CPU time away (steal), a loop that waited in
// the kernel lost far more requests than one waiting in the poller.
type blockingListener struct {
	f    *os.File        // the listening socket, non-blocking, watched by the poller
	rc   syscall.RawConn // f's
	addr *net.TCPAddr

	closed  atomic.Bool  // Close was called
	accepts atomic.Int32 // Accepts under way, which tests wait for

	// An Accept hands try to the poller and finds takeNext's results in
	// the fields after it: a closure made per Accept would be allocated.
	mu   sync.Mutex // held by Accept
	try  func(fd uintptr) bool
	nfd  int
	sa   unix.Sockaddr
	aerr error
}

// fastListener returns ln served this way when it is a TCP listener, or
// ln itself. It takes the socket over: ln is closed.
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
	// The copy shares Go's open socket, non-blocking, so os.NewFile
	// registers it with the poller; a listener's own RawConn cannot wait
	// (its Read returns EINVAL), a file's can.
	f := os.NewFile(uintptr(fd), "tcp-listener")
	frc, err := f.SyscallConn()
	if err != nil {
		_ = f.Close()
		return ln
	}
	l := &blockingListener{f: f, rc: frc}
	l.try = l.take
	l.addr, _ = tl.Addr().(*net.TCPAddr)
	_ = tl.Close() // the socket stays open on f
	return l
}

// Accept waits for a connection and returns it as a blockingConn.
func (l *blockingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.accepts.Add(1)
	err := l.rc.Read(l.try) // an error only when no try accepted
	l.accepts.Add(-1)
	nfd, sa, aerr := l.nfd, l.sa, l.aerr
	l.sa, l.aerr = nil, nil
	switch {
	case err != nil:
		return nil, l.opError(l.fileError(err))
	case aerr != nil:
		return nil, l.opError(os.NewSyscallError("accept4", aerr))
	}
	return newBlockingConn(nfd, sa, l.addr), nil
}

// take is try: it accepts a queued connection on fd, and reports whether
// the poller may stop waiting.
func (l *blockingListener) take(fd uintptr) bool {
	l.nfd, l.sa, l.aerr = takeNext(int(fd))
	return !errors.Is(l.aerr, unix.EAGAIN) // EAGAIN: wait in the poller
}

// takeNext accepts the next connection on the listening socket fd, or
// returns EAGAIN when none is queued. It makes raw calls (see
// rawcall_linux.go).
func takeNext(fd int) (int, unix.Sockaddr, error) {
	// Poll first: an accept4 that finds the queue empty costs several
	// times a poll, because the kernel sets up the new socket's file
	// before it looks at the queue.
	if !readyNow(fd, unix.POLLIN) {
		return -1, nil, unix.EAGAIN
	}
	for {
		// The connection accepted is blocking: accept4 does not pass
		// the listener's O_NONBLOCK on.
		nfd, sa, err := acceptNow(fd)
		switch {
		case errors.Is(err, unix.ECONNABORTED), errors.Is(err, unix.EINTR):
			continue // as Go's accept does
		case err != nil:
			return -1, nil, err
		}
		return nfd, sa, nil
	}
}

// fileError turns an error of the listener's file into the one a
// *net.TCPListener gives: after Close, the file's own "use of closed
// file" (which os.ErrClosed does not match) is net.ErrClosed.
func (l *blockingListener) fileError(err error) error {
	if l.closed.Load() || errors.Is(err, os.ErrClosed) {
		return net.ErrClosed
	}
	return err
}

// SetDeadline sets the deadline for Accept, as on a *net.TCPListener.
func (l *blockingListener) SetDeadline(t time.Time) error {
	if err := l.f.SetReadDeadline(t); err != nil {
		return l.opError(l.fileError(err))
	}
	return nil
}

// Close closes the listening socket and ends an Accept in progress.
func (l *blockingListener) Close() error {
	if l.closed.Swap(true) {
		return l.opError(net.ErrClosed)
	}
	if err := l.f.Close(); err != nil {
		return l.opError(l.fileError(err))
	}
	return nil
}

// listenAgain calls listen(2) with backlog n on the socket, for
// SetBacklog.
func (l *blockingListener) listenAgain(n int) error {
	var lerr error
	if err := l.rc.Control(func(fd uintptr) { lerr = setBacklog(fd, n) }); err != nil {
		return l.opError(l.fileError(err))
	}
	return lerr
}

// Addr returns the listener's address.
func (l *blockingListener) Addr() net.Addr { return l.addr }

func (l *blockingListener) opError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the file's name means nothing to a caller
	}
	return &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: err}
}
