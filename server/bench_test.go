package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"golang.org/x/net/nettest"
)

// benchPage is a small page, like http_control's.
const benchPage = "<!DOCTYPE html><html><body><h1>EuroPi</h1></body></html>"

var benchRequest = []byte("GET / HTTP/1.1\r\nHost: bench\r\n\r\n")

// fetchRaw does one request on a new connection and reads to EOF, the way
// a client must talk to the device.
func fetchRaw(b *testing.B, addr string, buf []byte) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Write(benchRequest); err != nil {
		b.Fatal(err)
	}
	for {
		_, err := c.Read(buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
}

func benchEuroPi(b *testing.B) string {
	ln, err := nettest.NewLocalListener("tcp")
	if err != nil {
		b.Fatal(err)
	}
	s := New(ln)
	s.GetHandler(func(_ string, c *Conn) error { return s.SendHTML(c, benchPage, 0, nil) })
	ctx, cancel := context.WithCancel(context.Background())
	go s.Serve(ctx)
	b.Cleanup(func() { cancel(); s.Close() })
	return ln.Addr().String()
}

// benchNetHTTP serves the same bytes from Go's net/http with keep-alive
// off, hijacking the connection to write upstream's malformed header block.
func benchNetHTTP(b *testing.B) string {
	ln, err := nettest.NewLocalListener("tcp")
	if err != nil {
		b.Fatal(err)
	}
	head := headerBlock(200, "OK", MimeHTML, nil)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		writeBoth(rw.Writer, head)
	})}
	srv.SetKeepAlivesEnabled(false)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func writeBoth(w *bufio.Writer, head []byte) {
	w.Write(head)
	w.WriteString(benchPage)
	w.Flush()
}

// BenchmarkRoundTrip measures one request/response over loopback, one
// connection at a time and with 16 clients, for the europi server and for
// net/http sending the same bytes.
func BenchmarkRoundTrip(b *testing.B) {
	targets := []struct {
		name  string
		start func(*testing.B) string
	}{{"europi", benchEuroPi}, {"nethttp", benchNetHTTP}}
	for _, tg := range targets {
		b.Run(tg.name+"/conns=1", func(b *testing.B) {
			addr := tg.start(b)
			buf := make([]byte, 4096)
			b.ResetTimer()
			for b.Loop() {
				fetchRaw(b, addr, buf)
			}
		})
		b.Run(tg.name+"/conns=16", func(b *testing.B) {
			addr := tg.start(b)
			b.SetParallelism(8) // 8 × GOMAXPROCS(2) = 16 clients here
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				buf := make([]byte, 4096)
				for pb.Next() {
					fetchRaw(b, addr, buf)
				}
			})
		})
	}
}
