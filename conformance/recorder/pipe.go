package recorder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// readSize is the buffer of each direction's reads. A read returns what
// has arrived, so the size bounds a read, not when it returns.
const readSize = 32 << 10

// pipe is one relayed connection while it runs: two copiers, one per
// direction, that record every read before passing it on.
type pipe struct {
	s              *Session
	client, server net.Conn
	max            int64
	gap            time.Duration

	mu       sync.Mutex
	total    int64
	last     time.Time // the last read either way
	torn     bool      // the relay closed both sides itself
	done     bool      // both copiers returned
	idleStop *time.Timer
}

func newPipe(s *Session, client, server net.Conn, maxBytes int64, gap time.Duration) *pipe {
	return &pipe{s: s, client: client, server: server, max: maxBytes, gap: gap, last: s.Started}
}

// run relays until both directions have ended, then closes both
// connections and returns the session, its events in time order.
func (p *pipe) run(ctx context.Context) *Session {
	p.mu.Lock()
	p.idleStop = time.AfterFunc(p.s.Idle, p.checkIdle)
	p.mu.Unlock()
	stopWatch := context.AfterFunc(ctx, func() { p.abort(OutcomeInterrupted, "the recorder stopped while the connection was open") })

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.fromClient() }()
	go func() { defer wg.Done(); p.fromServer() }()
	wg.Wait()

	p.mu.Lock()
	p.done = true
	p.idleStop.Stop()
	p.mu.Unlock()
	stopWatch()
	_ = p.client.Close()
	_ = p.server.Close()
	p.s.sortEvents()
	return p.s
}

// record notes one event, and reports false when the relay must stop this
// direction: the connection was torn down, or this read passed the cap.
func (p *pipe) record(kind EventKind, data []byte) bool {
	return p.recordAt(time.Now(), kind, data)
}

// recordAt is record for an event that began at a time before now: a
// send's bytes gathered over the gap count from the first read.
func (p *pipe) recordAt(at time.Time, kind EventKind, data []byte) bool {
	p.mu.Lock()
	if p.torn {
		p.mu.Unlock()
		return false
	}
	now := time.Now()
	p.total += int64(len(data))
	if p.total > p.max {
		p.mu.Unlock()
		p.abort(OutcomeOverCap, fmt.Sprintf("more than %d bytes", p.max))
		return false
	}
	p.last = now
	p.s.Events = append(p.s.Events, Event{At: at.Sub(p.s.Started), Kind: kind, Data: data})
	p.mu.Unlock()
	return true
}

// isTorn reports whether the relay closed both sides itself, so a failed
// read is its own doing and says nothing about the peer.
func (p *pipe) isTorn() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.torn
}

// tear marks the connection as closed by the relay; false if it already
// was, or has ended.
func (p *pipe) tear() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.torn || p.done {
		return false
	}
	p.torn = true
	return true
}

// abort resets both sides and ends the session unrecorded.
func (p *pipe) abort(o Outcome, why string) {
	p.mu.Lock()
	if p.torn || p.done {
		p.mu.Unlock()
		return
	}
	p.torn = true
	p.s.Outcome, p.s.Err = o, why
	p.mu.Unlock()
	resetConn(p.client)
	resetConn(p.server)
}

// checkIdle closes both sides once nothing has moved for the idle
// timeout, and otherwise waits for the rest of it.
func (p *pipe) checkIdle() {
	p.mu.Lock()
	if p.torn || p.done {
		p.mu.Unlock()
		return
	}
	now := time.Now()
	if quiet := now.Sub(p.last); quiet < p.s.Idle {
		p.idleStop.Reset(p.s.Idle - quiet)
		p.mu.Unlock()
		return
	}
	p.torn = true
	p.s.Events = append(p.s.Events, Event{At: now.Sub(p.s.Started), Kind: EventTimeout})
	p.mu.Unlock()
	_ = p.client.Close()
	_ = p.server.Close()
}

// fromClient copies the client's bytes to the server, then passes on how
// the client ended: a FIN as a half-close, anything else as a reset. Reads
// closer than the gap go on in one write, so each recorded send is one
// write the server got: the recording holds the segmentation the server
// saw, not a merge it never received.
func (p *pipe) fromClient() {
	buf := make([]byte, readSize)
	for {
		n, err := p.client.Read(buf)
		readAt := time.Now()
		if n > 0 && err == nil {
			n, err = p.gather(buf, n)
		}
		if n > 0 {
			data := append([]byte(nil), buf[:n]...)
			if !p.recordAt(readAt, EventSend, data) {
				return
			}
			// A failed write means the server has gone; its reader
			// records how.
			_, _ = p.server.Write(data)
		}
		if err == nil {
			continue
		}
		switch {
		case p.isTorn():
		case errors.Is(err, io.EOF):
			if p.record(EventShutdown, nil) {
				closeWrite(p.server)
			}
		default:
			if p.record(EventReset, nil) && p.tear() {
				resetConn(p.server)
				_ = p.client.Close()
			}
		}
		return
	}
}

// gather reads more of the client's bytes into buf after its first n, as
// long as each read comes within the gap of the one before and buf has
// room, and returns the new length and the error that ended a read (nil
// when the gap passed).
func (p *pipe) gather(buf []byte, n int) (int, error) {
	if p.gap <= 0 {
		return n, nil
	}
	defer func() { _ = p.client.SetReadDeadline(time.Time{}) }()
	for n < len(buf) {
		if err := p.client.SetReadDeadline(time.Now().Add(p.gap)); err != nil {
			return n, err
		}
		m, err := p.client.Read(buf[n:])
		n += m
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// fromServer copies the server's bytes to the client, then passes on how
// the server ended. A client that has closed completely cannot take the
// rest; the relay still reads the server's answer to its end, so the
// recording holds all of it.
func (p *pipe) fromServer() {
	buf := make([]byte, readSize)
	clientGone := false
	for {
		n, err := p.server.Read(buf)
		if n > 0 {
			data := append([]byte(nil), buf[:n]...)
			if !p.record(EventRecv, data) {
				return
			}
			if !clientGone {
				if _, werr := p.client.Write(data); werr != nil {
					clientGone = true
					p.mu.Lock()
					p.s.ClientLeft = true
					p.mu.Unlock()
				}
			}
		}
		if err == nil {
			continue
		}
		switch {
		case p.isTorn():
		case errors.Is(err, io.EOF):
			if p.record(EventFIN, nil) {
				closeWrite(p.client)
			}
		default:
			// ECONNRESET, or any failure that ends the server's side: the
			// client is told with a reset too.
			if p.record(EventRST, nil) && p.tear() {
				resetConn(p.client)
				_ = p.server.Close()
			}
		}
		return
	}
}

// closeWrite half-closes a connection that supports it, and closes any
// other.
func closeWrite(c net.Conn) {
	if hc, ok := c.(interface{ CloseWrite() error }); ok {
		_ = hc.CloseWrite()
		return
	}
	_ = c.Close()
}
