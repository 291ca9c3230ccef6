package emulator

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/server"
)

// benchScript answers GET /text with size bytes of plain text, the way a
// small status script does.
func benchScript(size int) []byte {
	return []byte(fmt.Sprintf(`
server = HttpServer(80)
BODY = "x" * %d

def get(connection = None, request = None):
    server.send_response(connection, BODY, content_type = MimeTypes.TEXT)

server.get_handler(get)
`, size))
}

var benchTextRequest = []byte("GET /text HTTP/1.1\r\nHost: bench\r\n\r\n")

// benchServe serves a script answering with size bytes on loopback, with
// configure (if set) applied to the server, and returns its address.
func benchServe(b *testing.B, size int, configure func(*server.HttpServer)) string {
	b.Helper()
	em, err := New(Config{Source: benchScript(size), ScriptName: "bench.star", Configure: configure})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := nettest.NewLocalListener("tcp")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()
	b.Cleanup(func() {
		cancel()
		<-served
	})
	return ln.Addr().String()
}

// benchFetch does one request on a new connection and reads to EOF.
func benchFetch(b *testing.B, addr string, buf []byte) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(benchTextRequest); err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := c.Read(buf); err != nil {
			if err != io.EOF && !strings.Contains(err.Error(), "reset") {
				b.Fatal(err)
			}
			return
		}
	}
}

// BenchmarkServeStarlark measures one request answered by a Starlark
// handler over loopback, one connection at a time: the handler call's
// cost (thread, watchdogs) on top of the server's. "logged" adds a
// request-log reader, as serve's log line and dashboard are.
func BenchmarkServeStarlark(b *testing.B) {
	for _, size := range []int{2 << 10, 64 << 10} {
		for _, logged := range []bool{false, true} {
			var configure func(*server.HttpServer)
			name := fmt.Sprintf("size=%d", size)
			if logged {
				name += "/logged"
				configure = func(s *server.HttpServer) { s.OnRequest = func(server.RequestLog) {} }
			}
			b.Run(name, func(b *testing.B) {
				addr := benchServe(b, size, configure)
				buf := make([]byte, 64<<10)
				b.ReportAllocs()
				for b.Loop() {
					benchFetch(b, addr, buf)
				}
			})
		}
	}
}
