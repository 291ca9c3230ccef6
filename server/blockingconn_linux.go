//go:build linux

package server

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// blockingConn is an accepted TCP connection read and written with
// blocking system calls, outside Go's network poller (see
// blockingListener). It behaves as a *net.TCPConn does for the server and
// for handlers: the same errors, Write sends everything, deadlines.
// Deadlines are kept with SO_RCVTIMEO and SO_SNDTIMEO; one set in the past
// while a Read or Write waits wakes it by shutting the socket down, which
// is what the server does to a connection it abandons (Close, shutdown).
type blockingConn struct {
	fd           int
	laddr, raddr net.Addr

	readMu, writeMu sync.Mutex    // one Read and one Write at a time
	rto, wto        time.Duration // the socket's timeouts now, under readMu and writeMu
	rdl, wdl        atomic.Int64  // deadlines, UnixNano; 0: none

	mu       sync.Mutex // guards the rest
	reading  int        // Reads and Writes in progress, which Close waits for
	writing  int
	closed   bool // Close was called
	released bool // the descriptor was closed
	lingers  bool // closing may wait: SO_LINGER was set, or may have been
}

// newBlockingConn returns the connection accepted as fd from the peer at
// sa on a listener at ln: the listener's own address is the connection's
// local one unless it listens on every address.
func newBlockingConn(fd int, sa unix.Sockaddr, ln *net.TCPAddr) *blockingConn {
	// As Go's net does for every TCP connection: the header block and
	// the body go out as written.
	setNoDelay(fd)
	c := &blockingConn{fd: fd, raddr: tcpAddr(sa), laddr: ln}
	if ln == nil || ln.IP.IsUnspecified() {
		if local, err := unix.Getsockname(fd); err == nil {
			c.laddr = tcpAddr(local)
		}
	}
	return c
}

// tcpAddr converts a socket address to a *net.TCPAddr, nil if it is not TCP.
func tcpAddr(sa unix.Sockaddr) net.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: sa.Addr[:], Port: sa.Port} // as Go's net makes it
	case *unix.SockaddrInet6:
		a := &net.TCPAddr{IP: net.IP(sa.Addr[:]), Port: sa.Port}
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				a.Zone = ifi.Name
			}
		}
		return a
	}
	return nil
}

// begin counts an operation in, or refuses it after Close.
func (c *blockingConn) begin(n *int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return net.ErrClosed
	}
	*n++
	return nil
}

// end counts an operation out, and closes the descriptor if Close came
// while it ran.
func (c *blockingConn) end(n *int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*n--
	c.releaseIfIdle()
}

// releaseIfIdle closes the descriptor once closed and nothing uses it:
// only then may the number be reused.
func (c *blockingConn) releaseIfIdle() {
	if c.closed && !c.released && c.reading == 0 && c.writing == 0 {
		c.released = true
		if c.lingers {
			_ = unix.Close(c.fd)
		} else {
			closeNow(c.fd)
		}
	}
}

// timeout returns the socket timeout a deadline calls for (0: none), or
// that it has passed.
func timeout(deadline int64) (time.Duration, bool) {
	if deadline == 0 {
		return 0, false
	}
	left := time.Until(time.Unix(0, deadline))
	if left <= 0 {
		return 0, true
	}
	return max(left, time.Microsecond), false
}

// setTimeout sets SO_RCVTIMEO or SO_SNDTIMEO to d when *now is not d.
func (c *blockingConn) setTimeout(opt int, now *time.Duration, d time.Duration) {
	if *now == d {
		return
	}
	tv := unix.NsecToTimeval(d.Nanoseconds())
	if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, opt, &tv); err == nil {
		*now = d
	}
}

// Read reads once, as (*net.TCPConn).Read does.
func (c *blockingConn) Read(p []byte) (int, error) {
	if err := c.begin(&c.reading); err != nil {
		return 0, c.opError("read", err)
	}
	defer c.end(&c.reading)
	c.readMu.Lock()
	defer c.readMu.Unlock()
	// The first try is a raw call that does not wait, and takes what has
	// arrived; only a Read that has to wait goes through the runtime (see
	// rawcall_linux.go). Its errors are the blocking read's, and must be
	// handled as such: the kernel reports a reset only once.
	raw := true
	for {
		d, passed := timeout(c.rdl.Load())
		if passed {
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
		var n int
		var err error
		if raw {
			raw = false
			n, err = recvNow(c.fd, p)
		} else {
			c.setTimeout(unix.SO_RCVTIMEO, &c.rto, d)
			n, err = unix.Read(c.fd, p)
		}
		switch {
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.EAGAIN):
			continue // a signal, or the timeout: look at the deadline again
		case err != nil:
			return 0, c.opError("read", os.NewSyscallError("read", err))
		case n == 0 && len(p) > 0:
			if _, passed := timeout(c.rdl.Load()); passed {
				return 0, c.opError("read", os.ErrDeadlineExceeded) // woken by shutdown
			}
			if c.isClosed() {
				return 0, c.opError("read", net.ErrClosed)
			}
			return 0, io.EOF
		}
		return n, nil
	}
}

// Write writes all of p, as (*net.TCPConn).Write does.
func (c *blockingConn) Write(p []byte) (int, error) {
	if err := c.begin(&c.writing); err != nil {
		return 0, c.opError("write", err)
	}
	defer c.end(&c.writing)
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	sent := 0
	raw := true // first, what the buffer takes now, as Read does
	for sent < len(p) {
		d, passed := timeout(c.wdl.Load())
		if passed {
			return sent, c.opError("write", os.ErrDeadlineExceeded)
		}
		var n int
		var err error
		if raw {
			raw = false
			n, err = sendNow(c.fd, p[sent:])
		} else {
			c.setTimeout(unix.SO_SNDTIMEO, &c.wto, d)
			n, err = unix.Write(c.fd, p[sent:])
		}
		sent += max(n, 0)
		switch {
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.EAGAIN):
			continue
		case err != nil:
			if _, passed := timeout(c.wdl.Load()); passed {
				return sent, c.opError("write", os.ErrDeadlineExceeded)
			}
			return sent, c.opError("write", os.NewSyscallError("write", err))
		}
	}
	return sent, nil
}

// Close closes the connection. With no Read or Write in progress (the
// serving loop's case) the descriptor is closed at once, so the kernel
// ends the connection as it would for any socket (a reset when input was
// left unread); otherwise they are woken, and the last to finish closes it.
func (c *blockingConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opError("close", net.ErrClosed)
	}
	c.closed = true
	if c.reading > 0 || c.writing > 0 {
		_ = unix.Shutdown(c.fd, unix.SHUT_RDWR)
	}
	c.releaseIfIdle()
	return nil
}

// SetDeadline sets the read and write deadlines.
func (c *blockingConn) SetDeadline(t time.Time) error {
	return c.setDeadline(t, true, true)
}

// SetReadDeadline sets the deadline for Read.
func (c *blockingConn) SetReadDeadline(t time.Time) error { return c.setDeadline(t, true, false) }

// SetWriteDeadline sets the deadline for Write.
func (c *blockingConn) SetWriteDeadline(t time.Time) error { return c.setDeadline(t, false, true) }

func (c *blockingConn) setDeadline(t time.Time, read, write bool) error {
	var d int64
	if !t.IsZero() {
		d = max(t.UnixNano(), 1)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opError("set", net.ErrClosed)
	}
	if read {
		c.rdl.Store(d)
	}
	if write {
		c.wdl.Store(d)
	}
	if d == 0 || time.Now().UnixNano() < d {
		return nil // a waiting call sees it when its socket timeout ends
	}
	// Past: wake the calls that wait. A waiting call's socket timeout
	// was set from the old deadline, so only a shutdown reaches it.
	how := -1
	switch {
	case read && c.reading > 0 && write && c.writing > 0:
		how = unix.SHUT_RDWR
	case read && c.reading > 0:
		how = unix.SHUT_RD
	case write && c.writing > 0:
		how = unix.SHUT_WR
	}
	if how >= 0 {
		_ = unix.Shutdown(c.fd, how)
	}
	return nil
}

func (c *blockingConn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// LocalAddr returns the local address.
func (c *blockingConn) LocalAddr() net.Addr { return c.laddr }

// RemoteAddr returns the client's address.
func (c *blockingConn) RemoteAddr() net.Addr { return c.raddr }

// SetLinger sets SO_LINGER as (*net.TCPConn).SetLinger does.
func (c *blockingConn) SetLinger(sec int) error {
	return c.control("set", func(fd int) error {
		l := unix.Linger{Onoff: 1, Linger: int32(max(sec, 0))}
		if sec < 0 {
			l = unix.Linger{}
		}
		c.lingers = sec > 0 // 0 resets at once; negative is the default
		return os.NewSyscallError("setsockopt", unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &l))
	})
}

// CloseWrite shuts down the writing side, as (*net.TCPConn).CloseWrite does.
func (c *blockingConn) CloseWrite() error {
	return c.control("close", func(fd int) error {
		return os.NewSyscallError("shutdown", unix.Shutdown(fd, unix.SHUT_WR))
	})
}

// control runs f on the descriptor, unless the connection is closed.
func (c *blockingConn) control(op string, f func(fd int) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opError(op, net.ErrClosed)
	}
	if err := f(c.fd); err != nil {
		return c.opError(op, err)
	}
	return nil
}

// SyscallConn returns the raw connection, for socket options.
func (c *blockingConn) SyscallConn() (syscall.RawConn, error) { return rawConn{c}, nil }

func (c *blockingConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.laddr, Addr: c.raddr, Err: err}
}

// rawConn is a blockingConn's syscall.RawConn. Its descriptor is blocking,
// so Read and Write call f until it reports done without waiting between;
// like Control, they run while the descriptor is open, and a Close waits
// for them.
type rawConn struct{ c *blockingConn }

func (r rawConn) Control(f func(fd uintptr)) error {
	return r.run("raw-control", func(fd uintptr) bool { f(fd); return true })
}

func (r rawConn) Read(f func(fd uintptr) bool) error  { return r.run("raw-read", f) }
func (r rawConn) Write(f func(fd uintptr) bool) error { return r.run("raw-write", f) }

func (r rawConn) run(op string, f func(fd uintptr) bool) error {
	if err := r.c.begin(&r.c.reading); err != nil {
		return r.c.opError(op, err)
	}
	r.c.mu.Lock()
	r.c.lingers = true // f may set SO_LINGER
	r.c.mu.Unlock()
	defer r.c.end(&r.c.reading)
	for !f(uintptr(r.c.fd)) {
	}
	return nil
}
