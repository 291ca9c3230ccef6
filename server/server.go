package server

import (
	"context"
	"errors"
	"log"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/europi-http/europi-http/pyrt"
)

// RequestLimit is the most bytes upstream reads of a request: one
// recv(1024). The rest is never read.
const RequestLimit = 1024

// DefaultStallWarning is how long a client may send nothing before the
// server logs that it is stalling the loop.
const DefaultStallWarning = time.Second

// ErrServerClosed is returned by CheckRequests and Serve once Close was called.
var ErrServerClosed = errors.New("server: closed")

// Handler handles a GET or POST request, as a function registered with
// upstream's get_handler/post_handler does. request is the decoded request
// (at most RequestLimit bytes); the handler answers through conn with the
// server's Send* methods. Returning a *NotImplementedError gives the 501
// page, an OSError ends CheckRequests quietly, and any other error (or a
// panic) gives the 500 page with the error's text.
type Handler func(request string, conn *Conn) error

// HttpServer is the Go form of upstream's HttpServer. Set its exported
// fields before serving; they are not safe to change while it serves.
// Handlers may be replaced at any time.
type HttpServer struct {
	// Port is the port the script asked for, as upstream's self.port. The
	// listener decides where the server really listens.
	Port int
	// Runtime selects CPython's (the default) or MicroPython's observable
	// differences.
	Runtime pyrt.Runtime
	// Logger receives upstream's warnings, stalled-client warnings and
	// would-have-stopped notices. Nil discards them.
	Logger *log.Logger
	// OnRequest, if set, is called once per served connection.
	OnRequest func(RequestLog)
	// StallWarning is how long a silent client may block the loop before a
	// warning is logged; 0 means DefaultStallWarning, negative disables it.
	StallWarning time.Duration
	// StopOnScriptError makes Serve return a *ScriptStoppedError where the
	// device script would have died, instead of logging it and going on.
	StopOnScriptError bool

	ln       net.Listener
	mu       sync.Mutex
	get      Handler
	post     Handler
	current  net.Conn
	closed   bool
	acceptCh chan acceptResult
	stall    stallWatch
	yielder  yielder // for Serve and CheckRequests, which never run at once
}

// New returns a server that accepts connections from ln. The server owns
// ln from then on: Close closes it. A TCP listener is served with blocking
// system calls on the serving loop's thread (on Linux), one connection at
// a time as the device does, which costs a request fewer system calls and
// wake-ups than Go's network poller; the loop still waits for the next
// connection in the poller, and connections are still net.Conns. The
// server then holds the socket on a descriptor of its own and closes ln at
// once: set its backlog before New, and use the server's Addr and Close
// rather than ln's afterwards.
func New(ln net.Listener) *HttpServer {
	port := 0
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		port = tcp.Port
	}
	return &HttpServer{Port: port, ln: fastListener(ln)}
}

// Listen listens on the TCP address addr ("127.0.0.1:8080") with
// upstream's Backlog and returns a server for it, with Port set from the
// address.
func Listen(addr string) (*HttpServer, error) {
	ln, err := ListenTCP(context.Background(), addr)
	if err != nil {
		return nil, err
	}
	if err := SetBacklog(ln, Backlog); err != nil {
		_ = ln.Close()
		return nil, err
	}
	return New(ln), nil
}

// ListenPort listens on loopback at port, the Go form of upstream's
// HttpServer(port). Unlike the device it binds 127.0.0.1, not every
// interface: on a desktop, exposing the emulator is an explicit choice (use
// Listen).
func ListenPort(port int) (*HttpServer, error) {
	s, err := Listen(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	s.Port = port
	return s, nil
}

// Addr returns the listener's address.
func (s *HttpServer) Addr() net.Addr { return s.ln.Addr() }

// GetHandler registers h for GET requests and returns it, like upstream's
// get_handler decorator. A nil h restores the default handler.
func (s *HttpServer) GetHandler(h Handler) Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.get = h
	return h
}

// PostHandler registers h for POST requests and returns it, like upstream's
// post_handler decorator. A nil h restores the default handler.
func (s *HttpServer) PostHandler(h Handler) Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.post = h
	return h
}

// DefaultRequestHandler is the handler used until one is registered. It
// returns a *NotImplementedError, which the server turns into the 501 page
// "No request handler set".
func (s *HttpServer) DefaultRequestHandler(request string, conn *Conn) error {
	return &NotImplementedError{Message: DefaultHandlerMessage}
}

// handlers returns the current GET and POST handlers.
func (s *HttpServer) handlers() (get, post Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	get, post = s.get, s.post
	if get == nil {
		get = s.DefaultRequestHandler
	}
	if post == nil {
		post = s.DefaultRequestHandler
	}
	return get, post
}

// Close closes the listener and interrupts a connection being served.
func (s *HttpServer) Close() error {
	s.mu.Lock()
	s.closed = true
	if s.current != nil {
		_ = s.current.SetDeadline(time.Now())
	}
	s.mu.Unlock()
	return s.ln.Close()
}

func (s *HttpServer) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *HttpServer) logf(format string, args ...any) {
	if s.Logger != nil {
		s.Logger.Printf(format, args...)
	}
}
