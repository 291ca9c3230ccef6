package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// connDeadline bounds each connection, so a client that stalls cannot hold
// a goroutine forever.
const connDeadline = 10 * time.Second

// servers maps each -kind to the function that serves resp on ln until ctx
// ends, then closes ln and returns nil.
var servers = map[string]func(ctx context.Context, ln net.Listener, resp []byte) error{
	"nethttp": serveNetHTTP,
	"bare":    serveBare,
	"serial":  serveSerial,
}

// serveNetHTTP serves resp from net/http with keep-alives off. The
// response is not valid HTTP, so each connection is hijacked and resp is
// written as is, then the connection is closed.
func serveNetHTTP(ctx context.Context, ln net.Listener, resp []byte) error {
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_ = conn.SetWriteDeadline(time.Now().Add(connDeadline))
			_, _ = conn.Write(resp)
		}),
		ReadHeaderTimeout: connDeadline,
	}
	srv.SetKeepAlivesEnabled(false)
	stop := context.AfterFunc(ctx, func() { _ = srv.Close() })
	defer stop()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveBare accepts, reads once, writes resp and closes, a goroutine per
// connection: the least a server can do per request.
func serveBare(ctx context.Context, ln net.Listener, resp []byte) error {
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(connDeadline))
			// Read the request so the close does not reset the connection.
			buf := make([]byte, 4096)
			if _, err := c.Read(buf); err != nil {
				return
			}
			_, _ = c.Write(resp)
		}()
	}
}

// serveSerial serves as the device must, one connection at a time on one
// goroutine: accept, one read, the header block and the body in two
// writes, close, then the next. It is the limit for one-at-a-time
// serving: the emulator does this and, on top, runs a handler.
func serveSerial(ctx context.Context, ln net.Listener, resp []byte) error {
	// No deadline per connection (the device sets none, and a timer per
	// request would cost what the emulator does not pay): the end of ctx
	// closes the listener and ends the read in progress.
	var mu sync.Mutex
	var current net.Conn
	stop := context.AfterFunc(ctx, func() {
		_ = ln.Close()
		mu.Lock()
		if current != nil {
			_ = current.SetDeadline(time.Now())
		}
		mu.Unlock()
	})
	defer stop()
	head, body := resp, []byte(nil)
	if i := bytes.Index(resp, []byte("\r\n\r\n")); i >= 0 {
		head, body = resp[:i+4], resp[i+4:]
	}
	buf := make([]byte, 1024) // the device's one recv(1024)
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		mu.Lock()
		current = c
		mu.Unlock()
		if ctx.Err() != nil {
			_ = c.SetDeadline(time.Now())
		}
		if _, err := c.Read(buf); err == nil {
			if _, err := c.Write(head); err == nil {
				_, _ = c.Write(body)
			}
		}
		_ = c.Close()
	}
}
