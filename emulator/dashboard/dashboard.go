package dashboard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

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
}

// Dashboard is the browser view and control API of one emulator. Record
// feeds it the device's requests; Handler or Serve serve it.
type Dashboard struct {
	src  Source
	opts Options
	log  *requestLog
	// keepAlive is the event streams' comment interval; tests shorten it.
	keepAlive time.Duration
}

// New returns a dashboard for src.
func New(src Source, opts Options) *Dashboard {
	return &Dashboard{src: src, opts: opts, log: newRequestLog(opts.LogSize), keepAlive: defaultKeepAlive}
}

// Record adds one served connection to the request log; pass it as (or
// call it from) server.HttpServer.OnRequest. It is safe for concurrent use
// and does not keep l's byte slices.
func (d *Dashboard) Record(l server.RequestLog) { d.log.add(l) }

// Serve serves the dashboard on ln until ctx ends, then returns nil; it
// owns ln and closes it. Open event streams end with ctx.
func (d *Dashboard) Serve(ctx context.Context, ln net.Listener) error {
	// The derived context also ends the shutdown goroutine when Serve
	// fails on its own.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           d.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
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
	err := srv.Serve(ln)
	cancel()
	<-stopped
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
