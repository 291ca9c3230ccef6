package dashboard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/server"
)

// DefaultAddr is where `europi-http serve` puts the dashboard: loopback,
// next to the device's default port 8080.
const DefaultAddr = "127.0.0.1:8081"

// Source is what a dashboard shows and drives; *emulator.Emulator is one.
type Source interface {
	// IO returns the panel the script drives.
	IO() *emulator.IO
	// Status returns the running script and its last reload.
	Status() emulator.Status
	// StatusChanged returns a channel closed at Status's next change.
	StatusChanged() <-chan struct{}
}

// Options configure a Dashboard.
type Options struct {
	// DeviceURL is the device page the dashboard links to,
	// "http://127.0.0.1:8080/"; empty hides the link.
	DeviceURL string
	// Profile names the device profile the emulator copies, shown beside
	// the script; empty shows none.
	Profile string
	// LogSize is how many requests to keep; 0 means DefaultLogSize.
	LogSize int
	// MaxConns caps the dashboard's open connections; 0 means
	// DefaultMaxConns. Connections past it wait in the listen queue, so
	// the dashboard never holds more file descriptors than this and
	// cannot starve the device port's accept.
	MaxConns int
	// MaxStreams caps the open /api/events streams; 0 means
	// DefaultMaxStreams. Keep it below MaxConns so the API stays
	// reachable.
	MaxStreams int
}

// DefaultMaxConns is the dashboard's connection cap when Options.MaxConns
// is 0: many browser tabs and API clients, a small share of a process's
// file descriptors.
const DefaultMaxConns = 128

// The dashboard server's timeouts: a client that sends its request slowly,
// or leaves a connection idle, loses it.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	idleTimeout       = 30 * time.Second
	maxHeaderBytes    = 16 << 10
)

// Dashboard is the browser view and control API of one emulator. Record
// feeds it the device's requests; Handler or Serve serve it.
type Dashboard struct {
	src  Source
	opts Options
	log  *requestLog
	// keepAlive is the event streams' comment interval; tests shorten it.
	keepAlive time.Duration
	// coalesce is the least time between two wake-ups of one stream.
	coalesce time.Duration
	// streams holds a token per open event stream, up to its capacity.
	streams chan struct{}
	// stateCache, statusCache and displayCache marshal what every stream
	// sends once.
	stateCache   jsonCache[uint64]
	statusCache  jsonCache[StatusReply]
	displayCache jsonCache[uint64]
}

// New returns a dashboard for src.
func New(src Source, opts Options) *Dashboard {
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.MaxStreams <= 0 {
		opts.MaxStreams = DefaultMaxStreams
	}
	return &Dashboard{src: src, opts: opts, log: newRequestLog(opts.LogSize), keepAlive: defaultKeepAlive,
		coalesce: defaultCoalesce, streams: make(chan struct{}, opts.MaxStreams)}
}

// Record adds one served connection to the request log; pass it as (or
// call it from) server.HttpServer.OnRequest. It is safe for concurrent use
// and costs O(1) whatever the response's size: it keeps l.Request and
// l.Response without copying them when they are within the server's caps
// (server.RequestLimit, server.MaxLoggedBytes), as the server hands them
// over, and a cut copy otherwise, and gives them back to the server
// (server.Recycle) when the entry leaves the log. A caller that reuses its
// buffers passes copies.
func (d *Dashboard) Record(l server.RequestLog) { d.log.add(l) }

// Add is Record returning the new entry's ID, for a recorder (a relay, for
// example) that learns the raw bytes only later and adds them with
// AttachBytes.
func (d *Dashboard) Add(l server.RequestLog) uint64 { return d.log.add(l) }

// AttachBytes sets the raw request and response bytes of entry id, with
// Record's caps and ownership; it reports false when the entry is no
// longer kept.
func (d *Dashboard) AttachBytes(id uint64, request, response []byte) bool {
	return d.log.attach(id, request, response)
}

// Serve serves the dashboard on ln until ctx ends, then returns nil; it
// owns ln and closes it. Open event streams end with ctx.
func (d *Dashboard) Serve(ctx context.Context, ln net.Listener) error {
	// The derived context also ends the shutdown goroutine when Serve
	// fails on its own.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           d.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		// The API's bodies are small; event streams set their own write
		// deadlines, so there is no WriteTimeout.
		ReadTimeout:    readTimeout,
		IdleTimeout:    idleTimeout,
		MaxHeaderBytes: maxHeaderBytes,
		// Request contexts end with ctx, so event streams return and
		// Shutdown does not wait for them.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdown, cancelShutdown := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancelShutdown()
		if srv.Shutdown(shutdown) != nil {
			_ = srv.Close()
		}
	}()
	err := srv.Serve(netutil.LimitListener(ln, d.opts.MaxConns))
	cancel()
	<-stopped
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
