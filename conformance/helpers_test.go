package conformance

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// serveFake runs a tiny raw TCP server on a loopback listener: each
// accepted connection goes to handle, one at a time (like the device). It
// returns the address; the listener closes and the server stops when the
// test ends.
func serveFake(t *testing.T, handle func(c *net.TCPConn)) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			handle(c.(*net.TCPConn))
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// readRequest reads what the client sends in one read, as upstream does,
// with a deadline so a silent client cannot hang the fake.
func readRequest(c *net.TCPConn) []byte {
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	return buf[:n]
}

// canned answers every connection with resp after reading the request, then
// closes cleanly.
func canned(resp string) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		readRequest(c)
		_, _ = c.Write([]byte(resp))
		_ = c.Close()
	}
}

// resetting answers with resp, then closes with SO_LINGER 0 so the client
// sees a reset.
func resetting(resp string) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		readRequest(c)
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
	req := readRequest(c)
	_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n" + string(req)))
	_ = c.Close()
}

// mustParse parses scenario text or fails the test.
func mustParse(t *testing.T, id, text string) *Scenario {
	t.Helper()
	s, err := Parse(id, []byte(text))
	require.NoError(t, err)
	return s
}

// lines joins scenario lines with LF, for readable test inputs.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// minimal is a valid scenario header and step, for tests that only vary
// the expect sections.
var minimal = lines(
	"[scenario]",
	`description "d"`,
	`rule routes "r"`,
	"",
	"[steps]",
	`send "GET /text HTTP/1.0\r\n\r\n"`,
)

// newFakeEscapes returns an escape log the test (or a fake server) adds to.
func newFakeEscapes() *EscapeLog { return &EscapeLog{} }
