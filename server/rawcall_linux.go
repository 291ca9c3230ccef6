//go:build linux

package server

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The serving loop makes the system calls that cannot block as raw calls,
// which do not tell Go's runtime that the goroutine enters the kernel.
//
// Why: a call made the usual way (entersyscall) wakes the runtime's
// monitor thread when it finds it asleep, and the monitor sleeps whenever
// every processor is idle, which is the case each time the loop has waited
// for a connection in the poller. At one connection that was a futex wake,
// a thread wake-up and a round of the monitor's polling for every request:
// about 1.3 futex calls, one sleep and 2.2 context switches per request
// more than a loop that waited in the kernel, and a quarter more CPU time.
// Made raw, the calls below leave about half of that: a Read that has to
// wait for its request still wakes the monitor.
// A raw call must not block, since the runtime cannot stop the world
// around it: each of these is a poll with a zero timeout, an accept4 on a
// queue the poll found non-empty, a setsockopt, a recv or send with
// MSG_DONTWAIT, or a close that cannot linger. Whatever would wait goes
// through the usual calls.

// readyNow reports whether fd has events among ev now, without waiting.
func readyNow(fd int, ev int16) bool {
	fds := [1]unix.PollFd{{Fd: int32(fd), Events: ev}}
	var zero unix.Timespec
	n, _, errno := unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 1,
		uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n > 0
}

// acceptNow accepts a connection from the listening socket fd, which must
// be non-blocking, as a blocking socket closed on exec.
func acceptNow(fd int) (int, unix.Sockaddr, error) {
	var rsa unix.RawSockaddrAny
	size := uint32(unix.SizeofSockaddrAny)
	nfd, _, errno := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(fd), uintptr(unsafe.Pointer(&rsa)),
		uintptr(unsafe.Pointer(&size)), unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, nil, errno
	}
	return int(nfd), sockaddr(&rsa), nil
}

// sockaddr decodes an accepted peer's address; nil for a family that is
// not IP.
func sockaddr(rsa *unix.RawSockaddrAny) unix.Sockaddr {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		in := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet4{Port: port(in.Port), Addr: in.Addr}
	case unix.AF_INET6:
		in := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet6{Port: port(in.Port), ZoneId: in.Scope_id, Addr: in.Addr}
	}
	return nil
}

// port converts a port in network byte order, as the kernel stores it.
func port(p uint16) int {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return int(b[0])<<8 | int(b[1])
}

// setNoDelay turns Nagle's algorithm off on fd.
func setNoDelay(fd int) {
	one := int32(1)
	_, _, _ = unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), unix.IPPROTO_TCP, unix.TCP_NODELAY,
		uintptr(unsafe.Pointer(&one)), unsafe.Sizeof(one), 0)
}

// recvNow reads what fd holds now into p, as read(2) would; EAGAIN when
// nothing is there yet (or p is empty, which read(2) answers).
func recvNow(fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, unix.EAGAIN
	}
	n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
		unix.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// sendNow sends as much of p as fd's buffer takes now, as write(2) would;
// EAGAIN when it takes nothing.
func sendNow(fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, _, errno := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
		unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// closeNow closes fd, which must not linger.
func closeNow(fd int) {
	_, _, _ = unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
}

// ctlNow sets the events fd is watched for in the epoll instance ep.
func ctlNow(ep, fd int, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(fd)}
	_, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_CTL, uintptr(ep), unix.EPOLL_CTL_MOD, uintptr(fd),
		uintptr(unsafe.Pointer(&ev)), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
