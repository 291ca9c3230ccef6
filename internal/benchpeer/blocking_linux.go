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
	"unsafe"

	"golang.org/x/sys/unix"
)

func init() { servers["blocking"] = serveBlocking }

// serveBlocking is serveSerial served the way the emulator's loop serves
// (server/blocking_linux.go): it waits for the next connection in Go's
// network poller, then accepts it and reads, writes and closes it with
// blocking system calls on its own thread, raw ones where they cannot
// block. It shows what that way of serving gains by itself. Unlike the
// emulator's loop it lets the poller watch the listening socket itself,
// which costs it a wake-up per connection under load. Like the emulator's
// loop (server/yield.go) it yields to Go's scheduler every 5 ms, so that
// the runtime does not take it for a long-running goroutine and poll it
// every 20 µs.
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
	var lastYield time.Time
	for {
		fd, aerr := -1, error(nil)
		err := rc.Read(func(uintptr) bool {
			// Poll before accept4, as the emulator does: a failed accept4
			// costs several polls.
			if !rawPollNow(pfd) {
				return false
			}
			fd, aerr = rawAccept(lfd)
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
		serveBlockingConn(fd, buf, head, body)
		if now := time.Now(); now.Sub(lastYield) >= 5*time.Millisecond {
			lastYield = now
			runtime.Gosched()
		}
	}
}

// serveBlockingConn reads the request and sends head and body on fd, then
// closes it. As in the emulator (server/rawcall_linux.go), what cannot
// block is a raw call, which does not wake Go's monitor thread: a call
// made the usual way after a wait in the poller does. What has to wait (a
// request not there yet, a send the buffer cannot take) blocks as usual.
func serveBlockingConn(fd int, buf, head, body []byte) {
	one := int32(1)
	_, _, _ = unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), unix.IPPROTO_TCP, unix.TCP_NODELAY,
		uintptr(unsafe.Pointer(&one)), unsafe.Sizeof(one), 0)
	_, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)),
		unix.MSG_DONTWAIT, 0, 0)
	if errno == unix.EAGAIN {
		_, err := unix.Read(fd, buf)
		errno, _ = err.(unix.Errno)
	}
	if errno == 0 && sendAll(fd, head) {
		sendAll(fd, body)
	}
	_, _, _ = unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
}

// sendAll sends p on fd, first what the buffer takes at once, the rest with
// blocking writes; false when the connection failed.
func sendAll(fd int, p []byte) bool {
	if len(p) == 0 {
		return true
	}
	n, _, errno := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
		unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL, 0, 0)
	if errno != 0 && errno != unix.EAGAIN {
		return false
	}
	for sent := int(n); sent < len(p); {
		m, err := unix.Write(fd, p[sent:])
		if err != nil && !errors.Is(err, unix.EINTR) {
			return false
		}
		sent += max(m, 0)
	}
	return true
}

// rawPollNow reports whether the socket in pfd can be read now.
func rawPollNow(pfd []unix.PollFd) bool {
	var zero unix.Timespec
	n, _, errno := unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd[0])), uintptr(len(pfd)),
		uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n > 0
}

// rawAccept accepts a connection on the non-blocking listening socket lfd
// as a blocking socket closed on exec; the peer's address is not needed.
func rawAccept(lfd int) (int, error) {
	fd, _, errno := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(lfd), 0, 0, unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
