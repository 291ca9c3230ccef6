//go:build !linux

package server

import "net"

// fastListener returns ln: the serving loop's accept and blocking
// connections are written for Linux (see blocking_linux.go); elsewhere
// the loop uses Go's network poller.
func fastListener(ln net.Listener) net.Listener { return ln }
