package profile

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// headLen is how many of a connection's first bytes are kept to name its
// request in events.
const headLen = 256

// segment is one TCP segment as the device would receive it.
type segment struct {
	data []byte
	at   time.Time // when it arrived
}

// conn is an accepted connection that follows the listener's rules. A pump
// goroutine moves the client's bytes from the real socket into segs, so
// the conn knows what arrived when; Read hands them out as lwIP would.
// Every field below nc is guarded by l.mu.
type conn struct {
	l    *listener
	nc   net.Conn
	peer string

	segs       []segment // unread input, oldest first
	off        int       // bytes of segs[0] already read
	queued     int       // unread bytes in segs
	lastAt     time.Time // when the newest segment or the end arrived
	end        error     // io.EOF or the read error, once the pump stopped
	head       []byte    // the first bytes received, for events
	acceptedAt time.Time // zero while the connection waits for accept
	handedOver bool      // input parked before accept reached the socket
	parked     bool      // input was parked at accept
	handoverAt time.Time // when parked input was handed over
	handoverBy string    // what handed it over
	readDL     time.Time
	sent       int  // bytes in the send buffer; no ACK is modelled
	heap       int  // lwIP heap the unacknowledged send data takes
	raceWon    bool // lwIP hands the request over between accept and recv
	lost       bool // a lost-request event was reported
	closed     bool
	draining   bool // closed cleanly; the pump discards what still comes
}

func newConn(l *listener, nc net.Conn) *conn {
	return &conn{l: l, nc: nc, peer: nc.RemoteAddr().String()}
}

// acceptLocked marks the connection taken by the server. Input that came
// before is parked: lwIP refused it (_lwip_tcp_recv_unaccepted) and keeps
// it until its timer or the next segment delivers it to the new socket's
// receive callback, which lwip_socket_accept has just installed.
func (c *conn) acceptLocked(now time.Time) {
	c.acceptedAt = now
	c.parked = (c.queued > 0 || c.end != nil) && c.l.rules.park
	c.handedOver = !c.parked
	if rs := c.l.rules; rs.timeout0 && !rs.fixedRecv && (c.queued > 0 || c.end == nil) && c.l.race.won() {
		// The race upstream's timeout 0 usually loses, won: lwIP hands
		// the request over before recv runs. The race is for data: a
		// connection whose client only closed stays lost.
		c.raceWon, c.parked, c.handedOver = true, false, true
	}
}

// handedOverLocked reports whether parked input has reached the socket by
// now: at lwIP's first timer tick after accept, or when a later segment
// arrives and lwIP retries the refused data before it.
func (c *conn) handedOverLocked(now time.Time) bool {
	if c.handedOver || c.acceptedAt.IsZero() {
		return c.handedOver
	}
	// Quirk: parked input waits for lwIP's timer or the next segment, even
	// though the socket that wants it exists.
	tick := c.l.nextTick(c.acceptedAt)
	switch {
	case c.lastAt.After(c.acceptedAt) && c.lastAt.Before(tick):
		c.handedOver, c.handoverAt, c.handoverBy = true, c.lastAt, "the next segment"
	case !now.Before(tick):
		c.handedOver, c.handoverAt, c.handoverBy = true, tick, "its timer tick"
	}
	return c.handedOver
}

// resetBeforeAccept drops a queued connection the client reset before the
// server took it: lwIP removes it from the accept queue
// (_lwip_tcp_err_unaccepted), so the server never sees it.
func (c *conn) resetBeforeAccept() bool {
	if c.end == nil || errors.Is(c.end, io.EOF) {
		return false
	}
	c.closed = true
	c.l.open--
	c.l.broadcastLocked()
	_ = c.nc.Close()
	return true
}

// dropInputLocked forgets unread input.
func (c *conn) dropInputLocked() {
	c.segs, c.off, c.queued = nil, 0, 0
}

// requestLine returns the first line of what the client sent, for events.
func (c *conn) requestLine() string { return firstLine(c.head) }

// Close closes the connection. With unread input it resets the connection
// (rst-on-unread-close) or, with that rule off, closes cleanly and discards
// whatever the client still sends.
func (c *conn) Close() error {
	l := c.l
	l.mu.Lock()
	if c.closed {
		l.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	}
	c.closed = true
	l.open--
	unread := c.queued
	reset := unread > 0 && l.rules.rst
	drain := unread > 0 && !l.rules.rst && c.end == nil
	if reset && !c.lost {
		l.emitLocked(Event{Rule: RuleRSTOnUnreadClose, Kind: KindReset, Peer: c.peer, Request: c.requestLine(),
			Detail: fmt.Sprintf("closed with %d bytes unread: the client gets a reset and may lose the response", unread)})
	}
	c.dropInputLocked()
	if drain {
		c.draining = true
		l.draining[c] = struct{}{}
	}
	l.broadcastLocked()
	l.mu.Unlock()
	l.flush()

	if reset {
		// Quirk: the device resets a connection closed with unread input,
		// as lwip_socket_ioctl frees the input unacknowledged before
		// closing. The pump drained the kernel, so ask for the reset.
		if tc, ok := c.nc.(interface{ SetLinger(int) error }); ok {
			_ = tc.SetLinger(0)
		}
	}
	if drain {
		if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
			_ = c.nc.SetReadDeadline(time.Now().Add(l.p.DrainTimeout))
			return cw.CloseWrite()
		}
		c.finishDrain()
	}
	return c.nc.Close()
}

// finishDrain forgets a draining connection; its real socket is closed by
// the caller.
func (c *conn) finishDrain() {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	c.draining = false
	delete(c.l.draining, c)
}

// LocalAddr returns the real connection's local address.
func (c *conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// RemoteAddr returns the client's address.
func (c *conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// SetDeadline sets the read and write deadlines.
func (c *conn) SetDeadline(t time.Time) error {
	_ = c.SetReadDeadline(t)
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the deadline for Read; the pump keeps reading the
// real socket regardless.
func (c *conn) SetReadDeadline(t time.Time) error {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	c.readDL = t
	c.l.broadcastLocked()
	return nil
}

// SetWriteDeadline sets the real connection's write deadline.
func (c *conn) SetWriteDeadline(t time.Time) error { return c.nc.SetWriteDeadline(t) }

func (c *conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: c.nc.LocalAddr().Network(), Source: c.nc.LocalAddr(), Addr: c.nc.RemoteAddr(), Err: err}
}
