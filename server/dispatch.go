package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"time"
)

// connResult says how serving one connection ended for the accept loop.
type connResult int

const (
	// connServed: go on to the next pending connection.
	connServed connResult = iota
	// connOSError: an OSError was caught; upstream returns from
	// check_requests quietly, leaving the queue for the next call.
	connOSError
	// connEscaped: an exception escaped check_requests; the device script
	// would have stopped.
	connEscaped
)

// serveConn serves one accepted connection the way one pass of upstream's
// check_requests loop does, and always closes it.
func (s *HttpServer) serveConn(ctx context.Context, nc net.Conn) (connResult, error) {
	conn := newConn(nc)
	conn.keep = s.OnRequest != nil
	entry := RequestLog{Time: conn.start}
	s.setCurrent(nc)
	if ctx.Err() != nil {
		_ = nc.SetDeadline(time.Now())
	}
	defer func() {
		s.setCurrent(nil)
		// Quirk: the connection is closed after every response; with unread
		// input left, the kernel answers the close with a reset.
		_ = nc.Close()
		entry.Status, entry.Bytes, entry.Response = conn.status, conn.bytes, conn.resp
		if s.OnRequest != nil {
			// Only a log reader needs these.
			entry.Duration = time.Since(conn.start)
			entry.Peer = conn.peerName()
			entry.Method, entry.Path = requestLine(entry.Request)
			s.OnRequest(entry)
		}
	}()

	// A reused buffer; given back once the handler is done with it (it
	// gets a string copy), unless the log's reader takes it.
	pooled := recvBuffers.Get().(*[]byte)
	buf := *pooled
	if !conn.keep {
		defer recvBuffers.Put(pooled)
	}
	raw, err := s.readRequest(nc, buf)
	entry.Request = raw
	if err != nil {
		entry.Outcome, entry.Err = OutcomeReadFailed, err
		return connOSError, err
	}

	exc := s.dispatch(raw, conn)
	if exc == nil {
		if conn.bytes == 0 {
			entry.Outcome = OutcomeNoResponse
		}
		return connServed, nil
	}
	entry.Err = exc
	if IsOSError(exc) {
		entry.Outcome = OutcomeSendFailed
		return connOSError, exc
	}

	status := StatusInternalServerError
	var notImpl *NotImplementedError
	if errors.As(exc, &notImpl) {
		status = StatusNotImplemented
	}
	s.logf("WARNING http_server: %s", exc)
	// The error page goes out on the same connection, after whatever the
	// handler already sent (upstream does not know what was sent).
	conn.raised = nil
	if err := s.SendErrorPage(exc, conn, status, nil); err != nil {
		// Quirk: upstream sends this page inside its except block, so a
		// failure here escapes check_requests and ends the device script.
		entry.Outcome, entry.Err = OutcomeScriptStopped, err
		return connEscaped, &ScriptStoppedError{Peer: conn.peerName(), Err: err}
	}
	return connServed, nil
}

// readRequest does upstream's single recv(RequestLimit). A clean EOF gives
// an empty request, as recv() returning b"" does; other failures are
// OSErrors.
func (s *HttpServer) readRequest(nc net.Conn, buf []byte) ([]byte, error) {
	stall := s.StallWarning
	if stall == 0 {
		stall = DefaultStallWarning
	}
	if stall > 0 && s.Logger != nil {
		s.stall.begin(s, nc.RemoteAddr(), stall)
		defer s.stall.end()
	}
	// Quirk: one read only; a request line, header or body that arrives in
	// a later segment is never seen.
	n, err := nc.Read(buf)
	if err != nil && !errors.Is(err, io.EOF) {
		return buf[:n], &OSError{Op: "recv", Err: err}
	}
	return buf[:n], nil // EOF, with or without data, is what recv returned
}

// dispatch decodes the request and runs the handler its prefix selects. It
// returns the exception upstream's try block would catch, or nil.
func (s *HttpServer) dispatch(raw []byte, conn *Conn) error {
	request, err := s.Runtime.Decode(raw)
	if err != nil {
		return err
	}
	get, post := s.handlers()
	// Quirk: dispatch is by prefix, so "GETX /" is a GET and "get /" is not.
	switch {
	case strings.HasPrefix(request, "GET"):
		return s.callHandler(get, request, conn)
	case strings.HasPrefix(request, "POST"):
		return s.callHandler(post, request, conn)
	}
	method, ok := s.Runtime.FirstWord(request)
	if !ok {
		// Quirk: an empty or blank request fails upstream's
		// request.strip().split()[0] with IndexError, a 500 page.
		return errors.New("list index out of range")
	}
	return s.SendErrorPage(fmt.Errorf("Unsupported HTTP method %s", method), conn, StatusBadRequest, nil)
}

// callHandler runs h, turning a panic into the 500 page's exception and
// treating a Send* failure the handler dropped as raised.
func (s *HttpServer) callHandler(h Handler, request string, conn *Conn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("handler panic: %v\n%s", r, debug.Stack())
			err = &PanicError{Value: r}
		}
		if err == nil {
			err = conn.raised
		}
	}()
	return h(request, conn)
}

func (s *HttpServer) setCurrent(nc net.Conn) {
	s.mu.Lock()
	s.current = nc
	closed := s.closed
	s.mu.Unlock()
	if closed && nc != nil {
		_ = nc.SetDeadline(time.Now())
	}
}
