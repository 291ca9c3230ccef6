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

	"github.com/europi-http/europi-http/conformance/scenario"
)

// liveConn is one open connection while steps run.
type liveConn struct {
	cc       *ConnCapture
	conn     *net.TCPConn
	timeout  time.Duration
	deadline time.Time // the whole scenario's
	keep     int       // the most bytes cc.Data holds
	start    time.Time
	activity atomic.Int64 // unix nanoseconds of the last send or receive
	closedBy atomic.Bool  // the client closed or reset it
	overran  atomic.Bool  // the client closed it at the scenario deadline
	mu       sync.Mutex   // guards cc while the reader runs
	ends     []int        // where each chunk ends in cc.Data; guarded by mu
	done     chan struct{}
}

// touch restarts the idle timeout: the client just did something.
func (lc *liveConn) touch() {
	now := time.Now()
	lc.activity.Store(now.UnixNano())
	_ = lc.conn.SetReadDeadline(lc.readDeadline())
}

// readDeadline is the idle timeout after the last activity, or the
// scenario's deadline when that comes first: bytes restart the one, never
// the other.
func (lc *liveConn) readDeadline() time.Time {
	return earlier(time.Unix(0, lc.activity.Load()).Add(lc.timeout), lc.deadline)
}

// earlier returns the earlier of two times.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// read receives until the server ends the connection, the client closes
// it, it stays idle for the timeout, or the scenario's deadline passes.
func (lc *liveConn) read() {
	defer close(lc.done)
	buf := make([]byte, 64<<10)
	for {
		_ = lc.conn.SetReadDeadline(lc.readDeadline())
		n, err := lc.conn.Read(buf)
		if n > 0 {
			now := time.Now()
			lc.mu.Lock()
			lc.store(buf[:n], now.Sub(lc.start))
			lc.mu.Unlock()
			lc.activity.Store(now.UnixNano())
		}
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && !lc.closedBy.Load() && time.Now().Before(lc.readDeadline()) {
			// A step moved the deadline while this read waited.
			continue
		}
		overran := lc.overran.Load() || (errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(lc.deadline))
		end, text := classify(err, lc.closedBy.Load(), overran)
		lc.mu.Lock()
		lc.cc.End, lc.cc.Err = end, text
		lc.finishChunks()
		lc.mu.Unlock()
		return
	}
}

// store keeps what one read returned, up to the connection's limit, and
// counts the rest: a target that floods the runner costs it no more than
// the limit.
func (lc *liveConn) store(data []byte, at time.Duration) {
	cc := lc.cc
	kept := data[:min(max(lc.keep-len(cc.Data), 0), len(data))]
	cc.Cut += len(data) - len(kept)
	if len(kept) == 0 {
		return
	}
	cc.Data = append(cc.Data, kept...)
	if len(cc.Chunks) < maxChunks {
		cc.Chunks = append(cc.Chunks, Chunk{At: at})
		lc.ends = append(lc.ends, len(cc.Data))
		return
	}
	lc.ends[len(lc.ends)-1] = len(cc.Data)
}

// finishChunks points each chunk at its bytes in cc.Data, once no more
// will be appended (which could move them).
func (lc *liveConn) finishChunks() {
	from := 0
	for i, end := range lc.ends {
		lc.cc.Chunks[i].Data = lc.cc.Data[from:end:end]
		from = end
	}
}

// received returns how many bytes have arrived so far, kept or not.
func (lc *liveConn) received() int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.cc.Received()
}

// classify names how a read ended; overran means the scenario's deadline
// had passed.
func classify(err error, closedByClient, overran bool) (scenario.End, string) {
	switch {
	case errors.Is(err, io.EOF):
		return scenario.EndFIN, ""
	case errors.Is(err, syscall.ECONNRESET):
		return scenario.EndRST, ""
	case overran:
		return scenario.EndDeadline, ""
	case closedByClient:
		return scenario.EndClosed, ""
	case errors.Is(err, os.ErrDeadlineExceeded):
		return scenario.EndTimeout, ""
	}
	return scenario.EndError, err.Error()
}

// execute runs a scenario's steps against addr and captures what came back.
// Every dial, write and idle read has the idle timeout as its deadline, the
// whole run has the scenario deadline (its default when unset), and ctx
// bounds it too; every connection is closed before it returns.
func execute(ctx context.Context, addr string, s *scenario.Scenario, lim limits) *Capture {
	start := time.Now()
	if lim.scenario <= 0 {
		lim.scenario = DefaultScenarioTimeout(lim.idle)
	}
	deadline := start.Add(lim.scenario)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	past := func() bool { return !time.Now().Before(deadline) }

	c := &Capture{Marks: map[string]map[string]int{}, Deadline: lim.scenario}
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

	open := func(name string, within time.Duration) *liveConn {
		if lc, ok := live[name]; ok {
			return lc
		}
		lc := &liveConn{cc: &ConnCapture{Name: name}, timeout: lim.idle, deadline: deadline, keep: lim.keepFor(name),
			start: start, done: make(chan struct{})}
		live[name] = lc
		order = append(order, lc)
		c.Conns = append(c.Conns, lc.cc)
		d := net.Dialer{Timeout: lim.idle}
		if within > 0 {
			d.Timeout = within
		}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			lc.cc.End, lc.cc.Err = scenario.EndRefused, err.Error()
			if past() {
				lc.cc.End = scenario.EndDeadline
			}
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
		if past() {
			// The deadline ended the step: that is the failure, once.
			c.Overran = true
			return
		}
		c.StepErrors = append(c.StepErrors, StepError{Index: i, Step: s.Steps[i], Err: err.Error()})
	}

	for i, st := range s.Steps {
		if ctx.Err() != nil {
			stepErr(i, ctx.Err())
			break
		}
		switch st.Kind {
		case scenario.StepWait:
			t := time.NewTimer(st.Wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
			continue
		case scenario.StepMark:
			m := map[string]int{}
			for _, lc := range order {
				m[lc.cc.Name] = lc.received()
			}
			c.Marks[st.Mark] = m
			continue
		}
		lc := open(st.Conn, st.Within)
		if lc.conn == nil {
			continue // the refused dial is the failure
		}
		var err error
		switch st.Kind {
		case scenario.StepSend:
			lc.touch()
			_ = lc.conn.SetWriteDeadline(earlier(time.Now().Add(lim.idle), deadline))
			_, err = lc.conn.Write(st.Data.Value())
			lc.touch()
		case scenario.StepShutdown:
			lc.touch()
			err = lc.conn.CloseWrite()
		case scenario.StepClose:
			lc.closedBy.Store(true)
			err = lc.conn.Close()
		case scenario.StepReset:
			lc.closedBy.Store(true)
			if err = lc.conn.SetLinger(0); err == nil {
				err = lc.conn.Close()
			}
		case scenario.StepAwait:
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
				lc.overran.Store(past())
				lc.closedBy.Store(true)
				_ = lc.conn.Close()
				<-lc.done
			}
		}
	}
	for _, cc := range c.Conns {
		if cc.End == scenario.EndDeadline {
			c.Overran = true
		}
	}
	c.Duration = time.Since(start)
	return c
}
