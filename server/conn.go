package server

import (
	"net"
	"time"
)

// MaxLoggedBytes caps how much of a response a RequestLog keeps.
const MaxLoggedBytes = 64 << 10

// Conn is the connection a handler gets, the Go form of the socket upstream
// passes as connection=. Handlers answer through the server's Send* methods
// or write raw bytes with Send.
//
// A failed Send* call is sticky: in Python the exception would unwind the
// handler at that point, so later Send* calls on the same Conn write nothing
// and return the same error, and the server treats the failure as raised
// even if the handler drops the error.
type Conn struct {
	nc     net.Conn
	peer   string
	raised error
	status int
	bytes  int
	resp   []byte
	// keep says whether to copy sent bytes into resp: only a RequestLog
	// reader needs them.
	keep  bool
	start time.Time
}

func newConn(nc net.Conn) *Conn {
	return &Conn{nc: nc, peer: nc.RemoteAddr().String(), start: time.Now()}
}

// Send writes p to the client in one call, like socket.send(). Like
// upstream, callers do not retry a short count; a device profile's
// connection may accept fewer bytes than offered. Write errors come back as
// *OSError.
func (c *Conn) Send(p []byte) (int, error) {
	n, err := c.nc.Write(p)
	c.bytes += n
	if room := MaxLoggedBytes - len(c.resp); c.keep && room > 0 {
		c.resp = append(c.resp, p[:min(n, room)]...)
	}
	if err != nil {
		return n, &OSError{Op: "send", Err: err}
	}
	return n, nil
}

// RemoteAddr returns the client's address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// NetConn returns the underlying connection, for handlers that need
// deadlines or socket options.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Raised returns the error a Send* call raised on this connection, or nil.
func (c *Conn) Raised() error { return c.raised }

// BytesSent returns how many bytes the client was sent so far.
func (c *Conn) BytesSent() int { return c.bytes }

// raise records err as the connection's raised exception (the first one
// wins) and returns it.
func (c *Conn) raise(err error) error {
	if c.raised == nil {
		c.raised = err
	}
	return err
}
