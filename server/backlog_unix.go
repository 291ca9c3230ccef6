//go:build unix

package server

import (
	"fmt"
	"syscall"
)

// setBacklog calls listen(2) again on a listening socket: Linux and the
// BSDs then take the new backlog.
func setBacklog(fd uintptr, n int) error {
	if err := syscall.Listen(int(fd), n); err != nil {
		return fmt.Errorf("listen backlog %d: %w", n, err)
	}
	return nil
}
