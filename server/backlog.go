package server

import (
	"context"
	"net"
)

// Backlog is the length of the queue of connections waiting for accept
// that upstream asks for: http_server.py calls listen(5).
const Backlog = 5

// ListenTCP listens on the TCP address addr as the server's listeners
// do: like upstream's socket, accepted connections get no TCP keep-alive.
// Go turns it on by default, at four setsockopt calls per accepted
// connection, for a connection the server closes after one response. It
// leaves the backlog to SetBacklog.
func ListenTCP(ctx context.Context, addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	return lc.Listen(ctx, "tcp", addr)
}

// SetBacklog gives a listening TCP socket a backlog of n, as if listen(n)
// had made it: Go's net listens with the system's maximum and takes no
// backlog. It does nothing to a listener that is not a *net.TCPListener,
// or where the system cannot change it (see setBacklog).
//
// Quirk: with upstream's backlog of 5, clients that connect while the
// loop serves another (or is stalled by a silent one) queue in the kernel
// up to its limit for backlog 5 (six on Linux), and a later client's SYN is
// dropped: its connect times out where the emulator with Go's backlog
// would complete it. Pinned by robust/listen-backlog.
func SetBacklog(ln net.Listener, n int) error {
	if b, served := ln.(interface{ listenAgain(int) error }); served {
		return b.listenAgain(n) // a server's own listener (see fastListener)
	}
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return nil
	}
	rc, err := tl.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) { lerr = setBacklog(fd, n) }); err != nil {
		return err
	}
	return lerr
}
