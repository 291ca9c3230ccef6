package dashboard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/europi-http/europi-http/server"
)

// BenchmarkRecord measures what recording one served request costs the
// serving loop, for a small and for the largest logged response, as the
// server hands them over (in buffers within its caps).
func BenchmarkRecord(b *testing.B) {
	for _, size := range []int{2 << 10, server.MaxLoggedBytes} {
		b.Run(fmt.Sprintf("response=%d", size), func(b *testing.B) {
			resp := []byte("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n" + strings.Repeat("x\n", size/2))[:size:size]
			l := server.RequestLog{Time: time.Now(), Peer: "127.0.0.1:5000", Method: "GET", Path: "/text", Status: 200,
				Bytes: size, Request: []byte("GET /text HTTP/1.1\r\nHost: bench\r\n\r\n"), Response: resp}
			d := New(nil, Options{})
			b.ReportAllocs()
			for b.Loop() {
				d.Record(l)
			}
		})
	}
}
