package loadgen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResponseFeedFindsTheBlankLineAcrossReads(t *testing.T) {
	tests := []struct {
		name     string
		chunks   []string
		wantHead string
		wantBody int64
	}{
		{"one read", []string{deviceResponse}, deviceResponse[:len(deviceResponse)-len(deviceBody)], int64(len(deviceBody))},
		{"byte by byte", strings.Split(deviceResponse, ""), deviceResponse[:len(deviceResponse)-len(deviceBody)], int64(len(deviceBody))},
		{"split inside the blank line", []string{"HTTP/1.0 200 OK\r\n\r", "\nbody"}, "HTTP/1.0 200 OK\r\n\r\n", 4},
		{"empty body", []string{"HTTP/1.0 200 OK\r\n\r\n"}, "HTTP/1.0 200 OK\r\n\r\n", 0},
		{"no blank line", []string{"HTTP/1.0 200 OK\r\n", "Content-type: text/html\r\n"}, "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n", 0},
		{"bare LF is not a blank line", []string{"HTTP/1.0 200 OK\n\nbody"}, "HTTP/1.0 200 OK\n\nbody", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			var total int64
			for _, c := range tt.chunks {
				r.feed([]byte(c))
				total += int64(len(c))
			}
			assert.Equal(t, tt.wantHead, string(r.head))
			assert.Equal(t, tt.wantBody, r.body)
			assert.Equal(t, total, r.total)
		})
	}
}

func TestResponseHeadIsBounded(t *testing.T) {
	var r response
	line := []byte(strings.Repeat("x", 1000) + "\r\n")
	for range 200 {
		r.feed(line)
	}
	assert.Len(t, r.head, maxHead)
	kind, err := r.complete(0)
	assert.Equal(t, ShortBody, kind)
	assert.ErrorContains(t, err, "no blank line in the first")
}

func TestResponseStatus(t *testing.T) {
	tests := []struct {
		head string
		want int
	}{
		{"HTTP/1.0 200 OK\r\n\r\n", 200},
		{"HTTP/1.1 404 Not Found\r\n\r\n", 404},
		{"HTTP/1.0 418\r\n\r\n", 418},
		{"HTTP/1.0 2000 OK\r\n\r\n", 0},
		{"HTTP/1.0 20 OK\r\n\r\n", 0},
		{"HTTP/1.0 abc OK\r\n\r\n", 0},
		{"HTTP/1.0 099 OK\r\n\r\n", 0},
		{"HTTP/1.0\r\n\r\n", 0},
		{"ICY 200 OK\r\n\r\n", 0},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.head, func(t *testing.T) {
			var r response
			r.feed([]byte(tt.head))
			assert.Equal(t, tt.want, r.status())
		})
	}
}

func TestResponseExpectedLength(t *testing.T) {
	tests := []struct {
		name       string
		head       string
		configured int64
		want       int64
	}{
		{"device response, nothing configured", "HTTP/1.0 200 OK\r\ncharset=utf-8\r\n\r\n", 0, -1},
		{"device response, configured", "HTTP/1.0 200 OK\r\ncharset=utf-8\r\n\r\n", 15, 15},
		{"Content-Length wins", "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", 15, 7},
		{"any case, spaces", "HTTP/1.1 200 OK\r\ncontent-length :  12 \r\n\r\n", 0, 12},
		{"not a number", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 0, -1},
		{"negative", "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n", 0, -1},
		{"Key=Value is not a header", "HTTP/1.0 200 OK\r\nContent-Length=4\r\n\r\n", 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			r.feed([]byte(tt.head))
			assert.Equal(t, tt.want, r.expected(tt.configured))
		})
	}
}
