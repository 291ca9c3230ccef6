package server

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fieldsRequestLine is requestLine written the plain way, with
// strings.Fields: the reference the allocation-saving version must match.
func fieldsRequestLine(raw []byte) (method, path string) {
	line := string(raw)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	method, path = "-", "-"
	if len(fields) > 0 {
		method = fields[0]
	}
	if len(fields) > 1 {
		path = fields[1]
	}
	if len(method) > 200 {
		method = method[:200] + "…"
	}
	if len(path) > 200 {
		path = path[:200] + "…"
	}
	return method, path
}

func TestRequestLineSplitsAsFieldsDoes(t *testing.T) {
	long := strings.Repeat("a", 300)
	tests := []struct {
		name, raw    string
		method, path string
	}{
		{"a request", "GET /text HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/text"},
		{"empty", "", "-", "-"},
		{"blank", " \t\r\n", "-", "-"},
		{"method only", "GET\r\n", "GET", "-"},
		{"method and spaces", "  GET   \r\n", "GET", "-"},
		{"leading spaces", "   POST    /a  b\r\n", "POST", "/a"},
		{"no newline", "GET /x", "GET", "/x"},
		{"the path on the next line", "GET\r\n/x HTTP/1.1", "GET", "-"},
		{"unicode spaces", "GET\u00a0/x\u2003y\n", "GET", "/x"},
		{"invalid UTF-8", "G\xffT /\xfe\xfd\n", "G\xffT", "/\xfe\xfd"},
		{"long fields", long + " " + long + "\n", long[:200] + "…", long[:200] + "…"},
		{"tabs", "GET\t/t\tHTTP/1.0", "GET", "/t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path := requestLine([]byte(tt.raw))
			assert.Equal(t, tt.method, method)
			assert.Equal(t, tt.path, path)
			wantMethod, wantPath := fieldsRequestLine([]byte(tt.raw))
			assert.Equal(t, wantMethod, method, "strings.Fields' method")
			assert.Equal(t, wantPath, path, "strings.Fields' path")
		})
	}
}

func FuzzRequestLine(f *testing.F) {
	for _, s := range []string{"GET / HTTP/1.1\r\n", "", " \u0085x\u00a0y", "\xff \xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		method, path := requestLine(raw)
		wantMethod, wantPath := fieldsRequestLine(raw)
		if method != wantMethod || path != wantPath {
			t.Fatalf("requestLine(%q) = %q, %q; strings.Fields gives %q, %q", raw, method, path, wantMethod, wantPath)
		}
	})
}

func BenchmarkRequestLine(b *testing.B) {
	raw := []byte("GET /text HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	b.ReportAllocs()
	for b.Loop() {
		requestLine(raw)
	}
}

func TestAddrTextIsString(t *testing.T) {
	tests := []net.Addr{
		&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080},
		&net.TCPAddr{IP: net.IP{192, 168, 4, 1}, Port: 80},
		&net.TCPAddr{IP: net.IPv6loopback, Port: 1},
		&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 65535, Zone: "eth0"},
		&net.TCPAddr{IP: net.ParseIP("::ffff:10.0.0.1"), Port: 0},
		&net.TCPAddr{Port: 9},
		&net.TCPAddr{IP: net.IP{1, 2, 3}, Port: 9},
		&net.UnixAddr{Name: "/tmp/sock", Net: "unix"},
	}
	for _, a := range tests {
		t.Run(a.String(), func(t *testing.T) {
			assert.Equal(t, a.String(), addrText(a))
		})
	}
	assert.Equal(t, "<nil>", addrText(nil))
}
