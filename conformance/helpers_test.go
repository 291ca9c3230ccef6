package conformance

import (
	"net"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
)

// resetting answers with resp, then closes with SO_LINGER 0 so the client
// sees a reset.
func resetting(resp string) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		testnet.ReadRequest(c)
		_, _ = c.Write([]byte(resp))
		_ = c.SetLinger(0)
		_ = c.Close()
	}
}

// silent reads until the client goes away and never answers.
func silent(c *net.TCPConn) {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
	}
	_ = c.Close()
}

// echoing answers with a text/plain response whose body is the request.
func echoing(c *net.TCPConn) {
	req := testnet.ReadRequest(c)
	_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n" + string(req)))
	_ = c.Close()
}

// newFakeEscapes returns an escape log the test (or a fake server) adds to.
func newFakeEscapes() *EscapeLog { return &EscapeLog{} }
