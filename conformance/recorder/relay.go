package recorder

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// Defaults of a Relay's bounds.
const (
	// DefaultMaxBytes caps the bytes of one connection, both directions
	// together: far above anything a Pico W sends (its send buffer holds
	// 6400 bytes), far below what would hurt the recorder.
	DefaultMaxBytes = 1 << 20
	// DefaultIdle is how long a connection may stay silent both ways
	// before the relay closes it.
	DefaultIdle = 5 * time.Second
	// DefaultDialTimeout bounds the connect to the server.
	DefaultDialTimeout = 5 * time.Second
)

// Relay forwards TCP connections to an upstream server unchanged and
// records each as a Session.
type Relay struct {
	// Upstream is the server's address, HOST:PORT.
	Upstream string
	// MaxBytes caps one connection's bytes, both directions together; a
	// connection that passes it is reset and not recorded. 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// Idle is how long a connection may stay silent both ways before the
	// relay closes it; 0 means DefaultIdle.
	Idle time.Duration
	// DialTimeout bounds the connect to the server; 0 means
	// DefaultDialTimeout.
	DialTimeout time.Duration
	// Gap is the pause below which the client's reads go on to the server
	// in one write, and so become one send of the recording: a write the
	// relay happened to read in two parts is forwarded as the client
	// meant it. 0 means DefaultGap; a negative Gap forwards every read as
	// it comes.
	Gap time.Duration
	// FirstSeq is the Seq of the first connection; 0 means 1.
	FirstSeq int
	// OnSession gets every connection once it has ended, whatever its
	// outcome. It is called from the connection's own goroutine, so
	// possibly from several at once.
	OnSession func(*Session)
}

// Serve accepts connections on ln and relays each to Upstream until ctx
// ends or ln fails. When ctx ends it closes ln, resets the connections
// still open (their sessions end as interrupted), waits for every
// OnSession call to return, and returns nil.
func (r *Relay) Serve(ctx context.Context, ln net.Listener) error {
	if r.Upstream == "" {
		return errors.New("recorder: no upstream address")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()

	var wg sync.WaitGroup
	defer wg.Wait()
	seq := max(r.FirstSeq, 1)
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("recorder: accept: %w", err)
		}
		n := seq
		seq++
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := r.relay(ctx, c, n)
			if r.OnSession != nil {
				r.OnSession(s)
			}
		}()
	}
}

// relay runs one connection to its end.
func (r *Relay) relay(ctx context.Context, client net.Conn, seq int) *Session {
	s := &Session{Seq: seq, Client: client.RemoteAddr().String(), Upstream: r.Upstream,
		Idle: r.Idle, Outcome: OutcomeRecorded}
	if s.Idle <= 0 {
		s.Idle = DefaultIdle
	}
	dialTimeout := r.DialTimeout
	if dialTimeout <= 0 {
		dialTimeout = DefaultDialTimeout
	}
	d := net.Dialer{Timeout: dialTimeout}
	server, err := d.DialContext(ctx, "tcp", r.Upstream)
	s.Started = time.Now()
	if err != nil {
		// The client sees what a refused connect would have shown it.
		resetConn(client)
		s.Outcome, s.Err = OutcomeNoUpstream, err.Error()
		if ctx.Err() != nil {
			s.Outcome = OutcomeInterrupted
		}
		return s
	}
	maxBytes := r.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	gap := r.Gap
	if gap == 0 {
		gap = DefaultGap
	}
	p := newPipe(s, client, server, maxBytes, gap)
	return p.run(ctx)
}

// resetConn closes a connection with SO_LINGER 0, so the peer gets a RST.
func resetConn(c net.Conn) {
	if l, ok := c.(interface{ SetLinger(int) error }); ok {
		_ = l.SetLinger(0)
	}
	_ = c.Close()
}
