//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

func init() { servers["blocking"] = serveBlocking }

// serveBlocking is serveSerial served the way the emulator's loop serves
// (server/blocking_linux.go): it waits for the next connection in Go's
// network poller, then accepts it and reads, writes and closes it with
// blocking system calls on its own thread. It shows what that way of
// serving gains by itself. Like the emulator's loop (server/yield.go) it
// yields to Go's scheduler every 5 ms, so that the runtime does not take
// it for a long-running goroutine and poll it every 20 µs.
func serveBlocking(ctx context.Context, ln net.Listener, resp []byte) error {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return errors.New("blocking: a TCP listener is needed")
	}
	lrc, err := tl.SyscallConn()
	if err != nil {
		return err
	}
	lfd, derr := -1, error(nil)
	if err := lrc.Control(func(fd uintptr) { lfd, derr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0) }); err != nil || derr != nil {
		return errors.Join(err, derr)
	}
	// A listener's RawConn cannot wait for a connection; a file's can.
	f := os.NewFile(uintptr(lfd), "listener")
	_ = tl.Close()
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) }) // wakes the wait
	defer stop()

	head, body := resp, []byte(nil)
	if i := bytes.Index(resp, []byte("\r\n\r\n")); i >= 0 {
		head, body = resp[:i+4], resp[i+4:]
	}
	buf := make([]byte, 1024)
	pfd := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
	var now unix.Timespec
	var lastYield time.Time
	for {
		fd, aerr := -1, error(nil)
		err := rc.Read(func(uintptr) bool {
			// Poll before accept4, as the emulator does: a failed accept4
			// costs several polls.
			if n, _ := unix.Ppoll(pfd, &now, nil); n == 0 {
				return false
			}
			fd, _, aerr = unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			return !errors.Is(aerr, unix.EAGAIN)
		})
		switch {
		case ctx.Err() != nil:
			if fd >= 0 {
				_ = unix.Close(fd)
			}
			return nil
		case err != nil:
			return err
		case errors.Is(aerr, unix.EINTR), errors.Is(aerr, unix.ECONNABORTED):
			continue
		case aerr != nil:
			return aerr
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
