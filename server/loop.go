package server

import (
	"context"
	"errors"
	"net"
	"os"
	"time"
)

// AcceptPoll is how long CheckRequests waits for a pending connection
// before deciding there is none. Upstream's listener has timeout 0; Go's
// poller needs a deadline slightly in the future to try accept() at all.
const AcceptPoll = time.Millisecond

// deadliner is the part of *net.TCPListener and *net.UnixListener that lets
// CheckRequests poll without a goroutine. Device profiles that wrap a
// listener should forward it.
type deadliner interface {
	SetDeadline(time.Time) error
}

type acceptResult struct {
	conn net.Conn
	err  error
}

// CheckRequests serves every pending connection, one at a time, then
// returns, like upstream's check_requests(): call it from a main loop. It
// returns nil when there is nothing left to accept or when a socket error
// ended the pass quietly (the rest of the queue waits for the next call), a
// *ScriptStoppedError where the device script would have died, and
// ErrServerClosed after Close. Do not call it while Serve runs.
func (s *HttpServer) CheckRequests() error {
	// A main loop that calls this without sleeping never parks either.
	s.yielder.after(time.Now())
	for {
		nc, err := s.poll()
		if err != nil {
			if s.isClosed() || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			return nil // Upstream: accept() raising OSError (EAGAIN) ends the pass.
		}
		switch result, err := s.serveConn(context.Background(), nc); result {
		case connOSError:
			return nil
		case connEscaped:
			return err
		}
	}
}

// poll accepts one pending connection without blocking for longer than
// AcceptPoll.
func (s *HttpServer) poll() (net.Conn, error) {
	if d, ok := s.ln.(deadliner); ok {
		if err := d.SetDeadline(time.Now().Add(AcceptPoll)); err != nil {
			return nil, err
		}
		defer d.SetDeadline(time.Time{})
		return s.ln.Accept()
	}
	// A listener without deadlines: accept in a goroutine, at most one
	// connection ahead of the loop.
	s.mu.Lock()
	if s.acceptCh == nil {
		s.acceptCh = make(chan acceptResult)
		go s.acceptLoop(s.acceptCh)
	}
	ch := s.acceptCh
	s.mu.Unlock()
	timer := time.NewTimer(AcceptPoll)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-timer.C:
		return nil, os.ErrDeadlineExceeded
	}
}

func (s *HttpServer) acceptLoop(ch chan<- acceptResult) {
	for {
		nc, err := s.ln.Accept()
		ch <- acceptResult{nc, err}
		if err != nil && (s.isClosed() || errors.Is(err, net.ErrClosed)) {
			return
		}
	}
}

// Serve accepts and serves connections one at a time until ctx ends (it
// then returns nil) or Close is called (ErrServerClosed). Where the device
// script would have died it logs a line and goes on, or returns the
// *ScriptStoppedError if StopOnScriptError is set.
func (s *HttpServer) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, s.interrupt)
	defer stop()
	for {
		nc, err := s.accept()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				s.resetDeadline()
				return nil
			case s.isClosed() || errors.Is(err, net.ErrClosed):
				return ErrServerClosed
			}
			// Out of file descriptors and the like: the device would retry
			// on the next loop; back off a little rather than spin.
			s.logf("accept: %v", err)
			timer := time.NewTimer(10 * time.Millisecond)
			select {
			case <-ctx.Done():
				timer.Stop()
			case <-timer.C:
			}
			continue
		}
		result, err := s.serveConn(ctx, nc)
		s.yielder.after(time.Now())
		if result == connEscaped {
			if s.StopOnScriptError {
				return err
			}
			s.logf("%v (the emulator keeps serving)", err)
		}
	}
}

func (s *HttpServer) accept() (net.Conn, error) {
	s.mu.Lock()
	ch := s.acceptCh
	s.mu.Unlock()
	if ch != nil {
		r := <-ch
		return r.conn, r.err
	}
	return s.ln.Accept()
}

// interrupt wakes a blocked Serve when its context ends.
func (s *HttpServer) interrupt() {
	s.mu.Lock()
	if s.current != nil {
		_ = s.current.SetDeadline(time.Now())
	}
	ch := s.acceptCh
	s.mu.Unlock()
	if d, ok := s.ln.(deadliner); ok && ch == nil {
		_ = d.SetDeadline(time.Now())
		return
	}
	_ = s.ln.Close()
}

func (s *HttpServer) resetDeadline() {
	if d, ok := s.ln.(deadliner); ok {
		_ = d.SetDeadline(time.Time{})
	}
}
