package emulator

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

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
				// As serve's log line does: read the entry, give its bytes back.
				configure = func(s *server.HttpServer) {
					s.OnRequest = func(l server.RequestLog) { server.Recycle(l.Request, l.Response) }
				}
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

// memConn is a connection in memory: one request to read, writes
// discarded. It lets BenchmarkServeInMemory measure the emulator's own
// work per request, without the system calls around it.
type memConn struct {
	req  []byte
	read bool
}

func (c *memConn) Read(p []byte) (int, error) {
	if c.read {
		return 0, io.EOF
	}
	c.read = true
	return copy(p, c.req), nil
}
func (c *memConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return memAddr }
func (c *memConn) RemoteAddr() net.Addr             { return memAddr }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

var memAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}

// memListener hands out n memConns, then says so on done and waits to
// be closed.
type memListener struct {
	n      int
	done   chan struct{}
	closed chan struct{}
	once   sync.Once
}

func (l *memListener) Accept() (net.Conn, error) {
	if l.n == 0 {
		close(l.done)
		<-l.closed
		return nil, net.ErrClosed
	}
	l.n--
	return &memConn{req: benchTextRequest}, nil
}
func (l *memListener) Close() error   { l.once.Do(func() { close(l.closed) }); return nil }
func (l *memListener) Addr() net.Addr { return memAddr }

// BenchmarkServeInMemory measures the emulator's own CPU per request, a
// Starlark handler answering 2 KiB, with connections in memory: what it
// adds to the accept, read, two sends and close that any server makes.
// "logged" adds a request-log reader that gives the bytes back, as
// serve's log line and dashboard do.
func BenchmarkServeInMemory(b *testing.B) {
	for _, logged := range []bool{false, true} {
		name := "quiet"
		var configure func(*server.HttpServer)
		if logged {
			name = "logged"
			// As serve's log line does: read the entry, give its bytes back.
			configure = func(s *server.HttpServer) {
				s.OnRequest = func(l server.RequestLog) { server.Recycle(l.Request, l.Response) }
			}
		}
		b.Run(name, func(b *testing.B) {
			em, err := New(Config{Source: benchScript(2 << 10), ScriptName: "bench.star", Configure: configure})
			if err != nil {
				b.Fatal(err)
			}
			ln := &memListener{n: b.N, done: make(chan struct{}), closed: make(chan struct{})}
			ctx, cancel := context.WithCancel(context.Background())
			served := make(chan error, 1)
			b.ReportAllocs()
			b.ResetTimer()
			go func() { served <- em.Serve(ctx, ln) }()
			<-ln.done
			b.StopTimer()
			cancel()
			ln.Close()
			<-served
		})
	}
}
