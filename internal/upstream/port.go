package upstream

import (
	"fmt"
	"net"
)

// freePort asks the kernel for a free loopback port by binding port 0 and
// releasing it at once. Another program could take it before the script
// binds; Start retries when that happens.
func freePort() (int, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("upstream: finding a free loopback port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("upstream: releasing port %d: %w", port, err)
	}
	return port, nil
}
