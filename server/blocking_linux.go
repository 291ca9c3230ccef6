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
//
// The poller does not watch the listening socket itself, or it would wake
// a thread at every connection, waited for or not: under load the loop
// finds the next connection queued and seldom waits, and at 16
// connections those wake-ups were 0.4 epoll calls and 0.2 context
// switches per request. The poller watches an epoll instance of the
// listener's own (wait), in which the socket is armed only while an
// Accept waits.
type blockingListener struct {
	fd   int             // the listening socket, non-blocking
	ep   int             // the epoll instance the poller watches,
	wait *os.File        // as a file, which Close closes
	rc   syscall.RawConn // wait's
	addr *net.TCPAddr

	closed  atomic.Bool  // Close was called
	accepts atomic.Int32 // Accepts under way, which tests wait for

	// An Accept hands try to the poller and finds takeNext's results in
	// the fields after it: a closure made per Accept would be allocated.
	mu     sync.Mutex // held by Accept, and by Close before it closes fd
	try    func(uintptr) bool
	disarm func(uintptr) // run through rc, which keeps ep open meanwhile
	nfd    int
	sa     unix.Sockaddr
	aerr   error
	armed  bool // the socket is armed in wait
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
	l := &blockingListener{fd: fd}
	if err := l.openWait(); err != nil {
		_ = unix.Close(fd)
		return ln
	}
	l.try, l.disarm = l.take, func(uintptr) { l.arm(false) }
	l.addr, _ = tl.Addr().(*net.TCPAddr)
	_ = tl.Close() // Go's descriptor goes, and the poller's watch on it; the socket stays open on fd
	return l
}

// openWait makes the epoll instance with the socket in it, disarmed, and
// hands it to the poller.
func (l *blockingListener) openWait() error {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return err
	}
	ev := unix.EpollEvent{Events: 0, Fd: int32(l.fd)}
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, l.fd, &ev); err != nil {
		_ = unix.Close(ep)
		return err
	}
	// Non-blocking, so that os.NewFile hands it to the poller; a
	// listener's own RawConn cannot wait (its Read returns EINVAL), a
	// file's can.
	if err := unix.SetNonblock(ep, true); err != nil {
		_ = unix.Close(ep)
		return err
	}
	l.ep, l.wait = ep, os.NewFile(uintptr(ep), "tcp-listener")
	if l.rc, err = l.wait.SyscallConn(); err != nil {
		_ = l.wait.Close()
		return err
	}
	return nil
}

// Accept waits for a connection and returns it as a blockingConn.
func (l *blockingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return nil, l.opError(net.ErrClosed)
	}
	l.accepts.Add(1)
	err := l.rc.Read(l.try) // an error only when no try accepted
	l.accepts.Add(-1)
	if l.armed {
		_ = l.rc.Control(l.disarm) // fails only once Close closed ep
	}
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

// take is try: it accepts a queued connection, and reports whether the
// poller may stop waiting. Before the poller waits, the socket is armed,
// and looked at once more for a connection that came before that.
func (l *blockingListener) take(uintptr) bool {
	for {
		l.nfd, l.sa, l.aerr = takeNext(l.fd)
		if !errors.Is(l.aerr, unix.EAGAIN) {
			return true
		}
		if l.armed {
			return false
		}
		l.arm(true)
		if !readyNow(l.fd, unix.POLLIN) {
			return false
		}
	}
}

// arm arms the socket in the epoll instance, or disarms it, with a raw
// call (see rawcall_linux.go). It runs while rc holds ep open.
func (l *blockingListener) arm(on bool) {
	var events uint32 // disarmed: no event reaches the poller
	if on {
		events = unix.EPOLLIN
	}
	if ctlNow(l.ep, l.fd, events) == nil {
		l.armed = on
	}
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

// fileError turns an error of the poller's file into the one a
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
	if err := l.wait.SetReadDeadline(t); err != nil {
		return l.opError(l.fileError(err))
	}
	return nil
}

// Close closes the listening socket and ends an Accept in progress.
func (l *blockingListener) Close() error {
	if l.closed.Swap(true) {
		return l.opError(net.ErrClosed)
	}
	err := l.wait.Close() // wakes a waiting Accept
	// Once the Accept is over, nothing uses the socket, and its number
	// may be reused.
	l.mu.Lock()
	defer l.mu.Unlock()
	if cerr := unix.Close(l.fd); err == nil && cerr != nil {
		err = os.NewSyscallError("close", cerr)
	}
	if err != nil {
		return l.opError(l.fileError(err))
	}
	return nil
}

// listenAgain calls listen(2) with backlog n on the socket, for
// SetBacklog.
func (l *blockingListener) listenAgain(n int) error {
	l.mu.Lock() // the socket is open until Close holds this
	defer l.mu.Unlock()
	if l.closed.Load() {
		return l.opError(net.ErrClosed)
	}
	return setBacklog(uintptr(l.fd), n)
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
