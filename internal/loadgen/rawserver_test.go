package loadgen

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
)

// testDeadline bounds every wait in these tests.
const testDeadline = 5 * time.Second

// deviceResponse is a response as the device sends it: no colon on the
// charset line, no Content-Length, the body ends at the close.
const deviceResponse = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n<h1>EuroPi</h1>"

// deviceBody is deviceResponse's body.
const deviceBody = "<h1>EuroPi</h1>"

// rawServer is a tiny TCP server on a loopback listener that treats each
// connection with its behaviour, concurrently, closing everything when the
// test ends.
type rawServer struct {
	address  string
	accepted chan struct{} // gets a value per accepted connection, if there is room
}

// startRaw starts a raw server whose connections are handled by serve.
func startRaw(t *testing.T, serve func(net.Conn)) *rawServer {
	t.Helper()
	s := &rawServer{accepted: make(chan struct{}, 64)}
	s.address = testnet.ServeConcurrently(t, func(c *net.TCPConn) {
		select {
		case s.accepted <- struct{}{}:
		default:
		}
		serve(c)
	})
	return s
}

// addr returns the server's address.
func (s *rawServer) addr() string { return s.address }

// readRequest reads until the request's blank line, so that closing does
// not reset the connection over unread bytes.
func readRequest(c net.Conn) {
	var got []byte
	buf := make([]byte, 1024)
	for !bytes.Contains(got, []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return
		}
	}
}

// answer returns a behaviour that reads the request, writes parts in
// separate writes and closes.
func answer(parts ...string) func(net.Conn) {
	return func(c net.Conn) {
		readRequest(c)
		for _, p := range parts {
			if _, err := c.Write([]byte(p)); err != nil {
				return
			}
		}
	}
}

// resetAfter returns a behaviour that reads the request, writes parts, and
// closes with SO_LINGER 0 so the client sees a reset.
func resetAfter(parts ...string) func(net.Conn) {
	return func(c net.Conn) {
		answer(parts...)(c)
		_ = c.(*net.TCPConn).SetLinger(0)
	}
}

// neverAnswer reads and waits until the client gives up and closes.
func neverAnswer(c net.Conn) {
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}
