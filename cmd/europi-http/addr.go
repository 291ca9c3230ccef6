package main

import (
	"fmt"
	"net"
)

// checkListenAddr returns a usage error when addr, the value of flag, is
// not HOST:PORT with a port from 0 to 65535 (or a service name). Whether
// the address can be bound is for the listen to say: a port in use is the
// machine's state, not bad input.
func checkListenAddr(flag, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = net.LookupPort("tcp", port)
	}
	if err != nil {
		return usageError(fmt.Errorf("%s %q: %w", flag, addr, err))
	}
	return nil
}
