package profile

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// Read is the socket's recv: it returns what lwIP has handed over, under
// the profile's rules.
func (c *conn) Read(p []byte) (int, error) {
	c.l.mu.Lock()
	n, err := c.readLocked(p)
	c.l.mu.Unlock()
	c.l.flush()
	return n, err
}

func (c *conn) readLocked(p []byte) (int, error) {
	l, rs := c.l, c.l.rules
	start := time.Now()
	var timeout time.Time
	if rs.timeout0 && rs.fixedRecv {
		timeout = start.Add(l.p.RecvTimeout)
	}
	for {
		if c.closed {
			return 0, c.opError("read", net.ErrClosed)
		}
		now := time.Now()
		if c.end != nil && !errors.Is(c.end, io.EOF) {
			// A reset from the client: lwIP's error callback
			// (_lwip_tcp_error) frees the input and the next call raises.
			c.dropInputLocked()
			return 0, c.end
		}
		if c.raceWon && c.queued == 0 && c.end != nil {
			// The client closed without sending: the race is for data,
			// and recv had run long before.
			c.raceWon = false
			return 0, c.eagainLocked()
		}
		if c.readyLocked(now, len(p)) {
			if c.raceWon && c.handedOver {
				c.raceWon = false // report the win once
				l.emitLocked(Event{Rule: RuleAcceptTimeout0, Kind: KindRaceWon, Peer: c.peer, Request: c.requestLine(),
					Detail: "lwIP handed the request over between accept() and recv(), as for about 2% of connections on the real firmware (--pico-race)"})
			}
			if c.parked {
				c.parked = false // report the handover once
				l.emitLocked(Event{Rule: RuleParkUntilTick, Kind: KindWait, Peer: c.peer, Request: c.requestLine(),
					Detail: fmt.Sprintf("lwIP handed the data parked before accept over %v after accept, with %s",
						c.handoverAt.Sub(c.acceptedAt).Round(time.Millisecond), c.handoverBy)})
			}
			return c.copyLocked(p)
		}
		if len(p) == 0 {
			return 0, nil
		}
		// A won race waits for the request's first segment (on loopback
		// it may still be on its way to the pump), never for a close.
		raceWait := c.raceWon && c.queued == 0 && c.end == nil && now.Before(c.acceptedAt.Add(l.p.RaceWindow))
		if !rs.blockingRecv() && !raceWait {
			return 0, c.eagainLocked()
		}
		if !c.readDL.IsZero() && !now.Before(c.readDL) {
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
		if !timeout.IsZero() && !now.Before(timeout) {
			return 0, c.timedOutLocked()
		}
		wake := earliest(c.readDL, timeout)
		if raceWait {
			// A won race means the request reached the socket before
			// recv; on loopback it may still be on its way to the pump.
			wake = earliest(wake, c.acceptedAt.Add(l.p.RaceWindow))
		}
		if !c.handedOver && !c.acceptedAt.IsZero() {
			wake = earliest(wake, l.nextTick(c.acceptedAt))
		}
		l.waitLocked(wake)
	}
}

// readyLocked reports whether a recv of n bytes returns now. Parked input
// counts only once handed over. The patched firmware's read waits for the
// whole request: the blank line and Content-Length bytes of body, the
// client's close, or as much as the caller's buffer holds.
func (c *conn) readyLocked(now time.Time, n int) bool {
	if !c.handedOverLocked(now) {
		return false
	}
	if c.end != nil {
		return true
	}
	if c.queued == 0 {
		return false
	}
	if !c.l.rules.fixedRead {
		return true
	}
	return c.queued >= min(n, c.l.p.RecvWindow) || requestComplete(c.unreadLocked())
}

// copyLocked hands over input: with one-segment-read, what is left of the
// first segment, as lwip_tcp_receive copies from the first queued pbuf
// only; otherwise as much as fits. At the end of input it returns io.EOF.
func (c *conn) copyLocked(p []byte) (int, error) {
	l, rs := c.l, c.l.rules
	if c.queued == 0 {
		return 0, io.EOF
	}
	defer l.broadcastLocked() // the pump may wait for room in the window
	arrived := c.queued
	if rs.oneSegment && !rs.fixedRead {
		// Quirk: one recv returns one segment, at most MSS bytes, however
		// much has arrived.
		n, _ := c.takeLocked(p, 1)
		if n < len(p) && c.queued > 0 {
			l.emitLocked(Event{Rule: RuleOneSegmentRead, Kind: KindCutRequest, Peer: c.peer, Request: c.requestLine(),
				Detail: fmt.Sprintf("recv returned one %d-byte segment of the %d bytes that had arrived; upstream never reads the rest", n, arrived)})
		}
		return n, nil
	}
	n, touched := c.takeLocked(p, len(c.segs))
	if rs.fixedRead && touched > 1 {
		l.emitLocked(Event{Rule: RuleOneSegmentRead, Kind: KindFixed, Peer: c.peer, Request: c.requestLine(),
			Detail: fmt.Sprintf("recv was repeated over %d segments (%d bytes) to complete the request", touched, n)})
	}
	return n, nil
}

// takeLocked copies from at most max segments into p, removes what it
// copied, and says how many segments it copied from.
func (c *conn) takeLocked(p []byte, max int) (n, touched int) {
	for touched < max && n < len(p) && len(c.segs) > 0 {
		m := copy(p[n:], c.segs[0].data[c.off:])
		n += m
		c.off += m
		touched++
		if c.off == len(c.segs[0].data) {
			c.segs, c.off = c.segs[1:], 0
		}
	}
	c.queued -= n
	return n, touched
}

// unreadLocked returns the unread input in one slice.
func (c *conn) unreadLocked() []byte {
	b := make([]byte, 0, c.queued)
	for i, s := range c.segs {
		if i == 0 {
			b = append(b, s.data[c.off:]...)
			continue
		}
		b = append(b, s.data...)
	}
	return b
}

// eagainLocked is lwip_tcp_receive on a socket with timeout 0 and nothing
// handed over: EAGAIN at once. Upstream returns from check_requests and
// closes the connection, so the request is lost.
func (c *conn) eagainLocked() error {
	var why string
	switch {
	case c.queued > 0 && c.l.rules.park:
		why = fmt.Sprintf("lwIP had parked the %d bytes that arrived before accept until its next timer tick", c.queued)
	case c.end != nil:
		why = "only the client's close had arrived, parked by lwIP until its next timer tick"
	default:
		why = "nothing had arrived yet when upstream read"
	}
	c.lost = true
	c.l.emitLocked(Event{Rule: RuleAcceptTimeout0, Kind: KindLost, Peer: c.peer, Request: c.requestLine(),
		Detail: "recv raised EAGAIN: " + why + "; upstream closes without a response"})
	// Quirk: the accepted socket inherits the listener's timeout 0.
	return &RuleError{Rule: RuleAcceptTimeout0, Op: "recv", Err: syscall.EAGAIN}
}

// timedOutLocked is the patched firmware's recv giving up: ETIMEDOUT, and
// the connection is closed without a response.
func (c *conn) timedOutLocked() error {
	c.lost = true
	c.l.emitLocked(Event{Rule: RuleAcceptTimeout0, Kind: KindLost, Peer: c.peer, Request: c.requestLine(),
		Detail: fmt.Sprintf("the patched firmware's recv timed out after %v without a complete request", c.l.p.RecvTimeout)})
	return &RuleError{Rule: RuleAcceptTimeout0, Op: "recv", Err: syscall.ETIMEDOUT}
}

// earliest returns the earlier of two times, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
