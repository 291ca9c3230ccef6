package loadgen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		raw     string
		want    Target
		wantErr string
	}{
		{"http://127.0.0.1:8080/", Target{"127.0.0.1:8080", "127.0.0.1:8080", "/"}, ""},
		{"http://192.168.4.1", Target{"192.168.4.1:80", "192.168.4.1", "/"}, ""},
		{"127.0.0.1:9000/json?x=1", Target{"127.0.0.1:9000", "127.0.0.1:9000", "/json?x=1"}, ""},
		{"http://[::1]:8080/a%20b", Target{"[::1]:8080", "[::1]:8080", "/a%20b"}, ""},
		{"localhost", Target{"localhost:80", "localhost", "/"}, ""},
		{"", Target{}, "no target"},
		{"https://127.0.0.1/", Target{}, "only http://"},
		{"http://u:p@127.0.0.1/", Target{}, "user information"},
		{"http://:8080/", Target{}, "no host"},
		{"http://127.0.0.1:0/", Target{}, "bad port"},
		{"http://127.0.0.1:99999/", Target{}, "bad port"},
		{"http://127.0.0.1:%zz/", Target{}, "target"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := ParseTarget(tt.raw)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.3.2.1:80", true},
		{"[::1]:80", true},
		{"localhost:80", true},
		{"::1", true},
		{"192.168.4.1:80", false},
		{"0.0.0.0:80", false},
		{"example.com:80", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, IsLoopback(tt.addr), tt.addr)
	}
}

func TestNewRequest(t *testing.T) {
	tests := []struct {
		name               string
		method, host, path string
		body               []byte
		want, wantErr      string
	}{
		{"GET", "GET", "127.0.0.1:8080", "/", nil,
			"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\n\r\n", ""},
		{"POST with body", "POST", "dev", "/json", []byte(`{"cv1": 1}`),
			"POST /json HTTP/1.1\r\nHost: dev\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\nContent-Length: 10\r\n\r\n{\"cv1\": 1}", ""},
		{"POST with empty body", "POST", "dev", "/", []byte{},
			"POST / HTTP/1.1\r\nHost: dev\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", ""},
		{"odd method kept", "GETX", "dev", "/", nil,
			"GETX / HTTP/1.1\r\nHost: dev\r\nUser-Agent: europi-http-bench\r\nConnection: close\r\n\r\n", ""},
		{"empty method", "", "dev", "/", nil, "", "method"},
		{"method with space", "GE T", "dev", "/", nil, "", "method"},
		{"method with CRLF", "GET\r\n", "dev", "/", nil, "", "method"},
		{"path with space", "GET", "dev", "/a b", nil, "", "path"},
		{"path with LF", "GET", "dev", "/a\nb", nil, "", "path"},
		{"empty path", "GET", "dev", "", nil, "", "path"},
		{"host with CRLF", "GET", "dev\r\nX: y", "/", nil, "", "line break"},
		{"huge body", "POST", "dev", "/", make([]byte, MaxRequestBytes), "", "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewRequest(tt.method, tt.host, tt.path, tt.body)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.False(t, strings.Contains(string(got[:len(got)-len(tt.body)]), "\n\n"))
		})
	}
}
