//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

func init() { servers["blocking"] = serveBlocking }

// serveBlocking is serveSerial written with blocking system calls on one
// thread instead of Go's network poller, as the emulator's serving loop
// is: accept4, one read, the header block and the body in two writes,
// close. It shows what that way of serving gains by itself. Like the
// emulator's loop (server/yield.go) it yields to Go's scheduler every
// 5 ms, so that the runtime does not take it for a long-running
// goroutine and poll it every 20 µs.
func serveBlocking(ctx context.Context, ln net.Listener, resp []byte) error {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return errors.New("blocking: a TCP listener is needed")
	}
	rc, err := tl.SyscallConn()
	if err != nil {
		return err
	}
	var lfd int
	if err := rc.Control(func(fd uintptr) { lfd = int(fd) }); err != nil {
		return err
	}
	// This loop is the listener's only user, so its socket may block.
	if err := unix.SetNonblock(lfd, false); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = unix.Shutdown(lfd, unix.SHUT_RD) }) // wakes accept4
	defer stop()
	defer runtime.KeepAlive(tl)
	defer tl.Close()

	head, body := resp, []byte(nil)
	if i := bytes.Index(resp, []byte("\r\n\r\n")); i >= 0 {
		head, body = resp[:i+4], resp[i+4:]
	}
	buf := make([]byte, 1024)
	var lastYield time.Time
	for {
		fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
		switch {
		case ctx.Err() != nil:
			if err == nil {
				_ = unix.Close(fd)
			}
			return nil
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED):
			continue
		case err != nil:
			return err
		}
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		if n, err := unix.Read(fd, buf); err == nil && n >= 0 {
			if _, err := unix.Write(fd, head); err == nil {
				_, _ = unix.Write(fd, body)
			}
		}
		_ = unix.Close(fd)
		if now := time.Now(); now.Sub(lastYield) >= 5*time.Millisecond {
			lastYield = now
			runtime.Gosched()
		}
	}
}
