package server

import (
	"net"
	"net/netip"
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
	peer   string // see peerName
	raised error
	status int
	bytes  int
	resp   []byte
	// respOwned says that resp is a slice of a buffer the server wrote
	// from (see logSent), not a copy of its own.
	respOwned bool
	// keep says whether to copy sent bytes into resp: only a RequestLog
	// reader needs them.
	keep  bool
	start time.Time
}

func newConn(nc net.Conn) *Conn {
	return &Conn{nc: nc, start: time.Now()}
}

// peerName returns the client's address as text, made when first needed:
// a quiet server never needs it. It is what RemoteAddr().String() gives,
// built in one allocation rather than three for a TCP peer.
func (c *Conn) peerName() string {
	if c.peer == "" {
		c.peer = addrText(c.nc.RemoteAddr())
	}
	return c.peer
}

// addrText is a.String(), written for a *net.TCPAddr without its
// intermediate strings.
func addrText(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok || ta == nil {
		if a == nil {
			return "<nil>"
		}
		return a.String()
	}
	ip, ok := netip.AddrFromSlice(ta.IP)
	if !ok || ta.Port < 0 || ta.Port > 65535 {
		return ta.String()
	}
	// net.IP prints an IPv4-mapped address as IPv4.
	ip = ip.Unmap().WithZone(ta.Zone)
	var buf [64]byte
	return string(netip.AddrPortFrom(ip, uint16(ta.Port)).AppendTo(buf[:0]))
}

// Send writes p to the client in one call, like socket.send(). Like
// upstream, callers do not retry a short count; a device profile's
// connection may accept fewer bytes than offered. Write errors come back as
// *OSError.
func (c *Conn) Send(p []byte) (int, error) { return c.send(p, false) }

// send writes p in one call. owned says that p belongs to the server and
// is never written again, so the request log may keep it without a copy.
func (c *Conn) send(p []byte, owned bool) (int, error) {
	n, err := c.nc.Write(p)
	c.bytes += n
	if c.keep {
		c.logSent(p[:n], owned)
	}
	if err != nil {
		return n, &OSError{Op: "send", Err: err}
	}
	return n, nil
}

// keptBuffer reports whether the kept response is buf's memory, so buf
// may not be reused.
func (c *Conn) keptBuffer(buf []byte) bool {
	return c.respOwned && len(c.resp) > 0 && cap(buf) > 0 && &c.resp[0] == &buf[:1][0]
}

// logSent adds sent bytes to the kept response, up to MaxLoggedBytes. The
// usual response, SendResponse's header block and body written from one
// buffer of at most MaxLoggedBytes, is kept by reference: the log costs
// the serving loop no copy, whatever the response's size. Other bytes are
// copied (at most MaxLoggedBytes of them), so a kept response never pins
// more memory than that.
func (c *Conn) logSent(p []byte, owned bool) {
	room := MaxLoggedBytes - len(c.resp)
	if room <= 0 || len(p) == 0 {
		return
	}
	p = p[:min(len(p), room)]
	switch {
	case owned && c.respOwned && len(c.resp) < cap(c.resp) && &c.resp[:len(c.resp)+1][len(c.resp)] == &p[0]:
		// p continues the kept bytes in the same buffer.
		c.resp = c.resp[:len(c.resp)+len(p)]
	case owned && len(c.resp) == 0 && cap(p) <= MaxLoggedBytes:
		c.resp, c.respOwned = p, true
	default:
		if c.respOwned {
			// Never append into the server's buffer: copy out first.
			c.resp, c.respOwned = append(make([]byte, 0, len(c.resp)+len(p)), c.resp...), false
		}
		c.resp = append(c.resp, p...)
	}
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
