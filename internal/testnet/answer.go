package testnet

import (
	"net"
)

// ReadRequest reads what the client sends in one read of up to 1024 bytes,
// as upstream's server does, within the connection's deadline.
func ReadRequest(c net.Conn) []byte {
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	return buf[:n]
}

// Answer returns a handler that reads the request (ReadRequest), writes
// resp and closes the connection cleanly.
func Answer(resp string) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		ReadRequest(c)
		_, _ = c.Write([]byte(resp))
		_ = c.Close()
	}
}
