package profile

import (
	"bytes"
	"errors"
	"io"
	"time"
)

// pump moves the client's bytes from the real socket into the segment
// queue with their arrival time, at most RecvWindow unread (TCP_WND: beyond
// it the kernel's flow control holds the client back, as lwIP's window
// would). It stops when the client closes or fails, or when the connection
// is closed; a connection closed cleanly with unread input is drained
// until the client closes or DrainTimeout passes.
func (c *conn) pump() {
	l := c.l
	buf := make([]byte, l.p.RecvWindow)
	for {
		l.mu.Lock()
		for !c.closed && c.queued >= l.p.RecvWindow {
			l.waitLocked(time.Time{})
		}
		if c.closed && !c.draining {
			l.mu.Unlock()
			return // Close closed the real socket
		}
		room := l.p.RecvWindow - c.queued
		if c.draining {
			room = len(buf)
		}
		l.mu.Unlock()

		n, err := c.nc.Read(buf[:room])

		l.mu.Lock()
		if c.draining {
			l.mu.Unlock()
			if err == nil {
				continue // discard: the server has closed its side
			}
			c.finishDrain()
			_ = c.nc.Close()
			return
		}
		if c.closed {
			l.mu.Unlock()
			return
		}
		now := time.Now()
		if n > 0 {
			c.appendLocked(buf[:n], now)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.EOF
			}
			c.end, c.lastAt = err, now
		}
		l.broadcastLocked()
		l.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// appendLocked queues b as segments of at most MSS bytes. The kernel may
// have merged several client writes into b; each is cut at the MSS, as the
// client's TCP would cut it for a peer that advertised that MSS.
func (c *conn) appendLocked(b []byte, now time.Time) {
	if room := headLen - len(c.head); room > 0 {
		c.head = append(c.head, b[:min(room, len(b))]...)
	}
	for len(b) > 0 {
		n := min(len(b), c.l.p.MSS)
		c.segs = append(c.segs, segment{data: bytes.Clone(b[:n]), at: now})
		c.queued += n
		b = b[n:]
	}
	c.lastAt = now
}
