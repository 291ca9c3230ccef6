package profile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequestComplete(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"GET / HTTP/1.1\r\nHost: x\r\n", false},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"GET / HTTP/1.1\n\n", true},
		{"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhell", false},
		{"POST / HTTP/1.1\r\ncontent-length:5\r\n\r\nhello", true},
		{"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", true},
		{"POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, requestComplete([]byte(tt.in)), "%q", tt.in)
	}
}

func TestFirstLine(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"GET / HTTP/1.1\r\nHost: x", "GET / HTTP/1.1"},
		{"GET /\xff", "GET /\uFFFD"},
		{strings.Repeat("a", 300), strings.Repeat("a", maxLineLen) + "…"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, firstLine([]byte(tt.in)), "%q", tt.in)
	}
}
