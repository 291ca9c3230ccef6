package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Capture is what one run of a scenario's steps saw.
type Capture struct {
	// Conns holds one capture per connection, in order of first use.
	Conns []*ConnCapture
	// Marks maps a mark's name to the bytes each connection had received
	// when the mark step ran.
	Marks map[string]map[string]int
	// StepErrors are the steps that failed (a refused dial, a failed write).
	StepErrors []StepError
	// Escapes are the exceptions that escaped check_requests() during the
	// scenario; nil when the target cannot report them.
	Escapes []string
	// EscapesKnown is true when the target reported escapes.
	EscapesKnown bool
	// Duration is how long the steps took, reads included.
	Duration time.Duration
}

// ConnCapture is what one connection received and how it ended.
type ConnCapture struct {
	// Name is the connection's name in the scenario.
	Name string
	// Local is the client's own address ("127.0.0.1:50000"), as the
	// server sees the peer; "" when the dial failed. It ties a target's
	// reports about a connection (device profile events) to the
	// connection.
	Local string
	// Data is every byte received, in order.
	Data []byte
	// Chunks are the reads that returned data, with their time since the
	// scenario started: the segment timing a recorder keeps.
	Chunks []Chunk
	// End is how the connection ended.
	End End
	// Err is the error text for EndError and EndRefused.
	Err string
}

// Chunk is one read's bytes and when they arrived.
type Chunk struct {
	// At is the time since the scenario started.
	At time.Duration
	// Data is what the read returned.
	Data []byte
}

// StepError is a step that failed.
type StepError struct {
	// Index is the step's index in Scenario.Steps.
	Index int
	// Step is the step.
	Step Step
	// Err says what failed.
	Err string
}

// liveConn is one open connection while steps run.
type liveConn struct {
	cc       *ConnCapture
	conn     *net.TCPConn
	timeout  time.Duration
	start    time.Time
	activity atomic.Int64 // unix nanoseconds of the last send or receive
	closedBy atomic.Bool  // the client closed or reset it
	mu       sync.Mutex   // guards cc while the reader runs
	done     chan struct{}
}

// touch restarts the idle timeout: the client just did something.
func (lc *liveConn) touch() {
	now := time.Now()
	lc.activity.Store(now.UnixNano())
	_ = lc.conn.SetReadDeadline(now.Add(lc.timeout))
}

// read receives until the server ends the connection, the client closes
// it, or it stays idle for the timeout.
func (lc *liveConn) read() {
	defer close(lc.done)
	buf := make([]byte, 64<<10)
	for {
		_ = lc.conn.SetReadDeadline(time.Unix(0, lc.activity.Load()).Add(lc.timeout))
		n, err := lc.conn.Read(buf)
		if n > 0 {
			now := time.Now()
			lc.mu.Lock()
			lc.cc.Data = append(lc.cc.Data, buf[:n]...)
			lc.cc.Chunks = append(lc.cc.Chunks, Chunk{At: now.Sub(lc.start), Data: append([]byte(nil), buf[:n]...)})
			lc.mu.Unlock()
			lc.activity.Store(now.UnixNano())
		}
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && !lc.closedBy.Load() &&
			time.Now().Before(time.Unix(0, lc.activity.Load()).Add(lc.timeout)) {
			// A step moved the deadline while this read waited.
			continue
		}
		end, text := classify(err, lc.closedBy.Load())
		lc.mu.Lock()
		lc.cc.End, lc.cc.Err = end, text
		lc.mu.Unlock()
		return
	}
}

// received returns how many bytes have arrived so far.
func (lc *liveConn) received() int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return len(lc.cc.Data)
}

// classify names how a read ended.
func classify(err error, closedByClient bool) (End, string) {
	switch {
	case errors.Is(err, io.EOF):
		return EndFIN, ""
	case errors.Is(err, syscall.ECONNRESET):
		return EndRST, ""
	case closedByClient:
		return EndClosed, ""
	case errors.Is(err, os.ErrDeadlineExceeded):
		return EndTimeout, ""
	}
	return EndError, err.Error()
}

// execute runs a scenario's steps against addr and captures what came back.
// Every dial, write and idle read has the timeout as its deadline, and ctx
// bounds the whole run; every connection is closed before it returns.
func execute(ctx context.Context, addr string, s *Scenario, timeout time.Duration) *Capture {
	start := time.Now()
	c := &Capture{Marks: map[string]map[string]int{}}
	live := map[string]*liveConn{}
	var order []*liveConn
	defer func() {
		for _, lc := range order {
			if lc.conn != nil {
				_ = lc.conn.Close()
				<-lc.done
			}
		}
	}()

	open := func(name string) *liveConn {
		if lc, ok := live[name]; ok {
			return lc
		}
		lc := &liveConn{cc: &ConnCapture{Name: name}, timeout: timeout, start: start, done: make(chan struct{})}
		live[name] = lc
		order = append(order, lc)
		c.Conns = append(c.Conns, lc.cc)
		d := net.Dialer{Timeout: timeout}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			lc.cc.End, lc.cc.Err = EndRefused, err.Error()
			close(lc.done)
			return lc
		}
		lc.conn = conn.(*net.TCPConn)
		lc.cc.Local = conn.LocalAddr().String()
		lc.activity.Store(time.Now().UnixNano())
		go lc.read()
		return lc
	}
	stepErr := func(i int, err error) {
		c.StepErrors = append(c.StepErrors, StepError{Index: i, Step: s.Steps[i], Err: err.Error()})
	}

	for i, st := range s.Steps {
		if ctx.Err() != nil {
			stepErr(i, ctx.Err())
			break
		}
		switch st.Kind {
		case StepWait:
			t := time.NewTimer(st.Wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
			continue
		case StepMark:
			m := map[string]int{}
			for _, lc := range order {
				m[lc.cc.Name] = lc.received()
			}
			c.Marks[st.Mark] = m
			continue
		}
		lc := open(st.Conn)
		if lc.conn == nil {
			continue // the refused dial is the failure
		}
		var err error
		switch st.Kind {
		case StepSend:
			lc.touch()
			_ = lc.conn.SetWriteDeadline(time.Now().Add(timeout))
			_, err = lc.conn.Write(st.Data.Value())
			lc.touch()
		case StepShutdown:
			lc.touch()
			err = lc.conn.CloseWrite()
		case StepClose:
			lc.closedBy.Store(true)
			err = lc.conn.Close()
		case StepReset:
			lc.closedBy.Store(true)
			if err = lc.conn.SetLinger(0); err == nil {
				err = lc.conn.Close()
			}
		case StepAwait:
			select {
			case <-lc.done:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		if err != nil {
			stepErr(i, fmt.Errorf("%s: %w", st.Kind, err))
		}
	}

	for _, lc := range order {
		select {
		case <-lc.done:
		case <-ctx.Done():
			if lc.conn != nil {
				lc.closedBy.Store(true)
				_ = lc.conn.Close()
				<-lc.done
			}
		}
	}
	c.Duration = time.Since(start)
	return c
}
