//go:build unix

package profile

import (
	"net"
	"syscall"
)

// pendingError returns the error the kernel holds for a socket (SO_ERROR),
// such as the EPIPE or ECONNRESET a peer's reset left after its FIN: reads
// then only say EOF, and Go's writes of nothing do not ask.
func pendingError(nc net.Conn) error {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	var soErr int
	if err := rc.Control(func(fd uintptr) {
		soErr, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR)
	}); err != nil || soErr == 0 {
		return nil
	}
	return syscall.Errno(soErr)
}
