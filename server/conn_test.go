package server

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The kept response is what the client was sent, cut at MaxLoggedBytes,
// whichever way it was sent, and later writes to a caller's buffer do not
// change it.
func TestConnKeepsSentBytes(t *testing.T) {
	s := New(fuzzListener{})
	big := strings.Repeat("b", MaxLoggedBytes+10)
	tests := []struct {
		name       string
		writeLimit int
		send       func(c *Conn)
		aliases    bool // kept by reference, no copy
	}{
		{"one response", -1, func(c *Conn) { _ = s.SendResponse(c, "hello", 0, MimeText, nil) }, true},
		{"a response cut short by the peer", 30, func(c *Conn) { _ = s.SendResponse(c, "hello world", 0, MimeText, Headers{{"K", "V"}}) }, true},
		{"two responses", -1, func(c *Conn) {
			_ = s.SendResponse(c, "first", 0, MimeText, nil)
			_ = s.SendErrorPage(nil, c, 0, nil)
		}, false},
		{"a response over the cap", -1, func(c *Conn) { _ = s.SendResponse(c, big, 0, MimeText, nil) }, false},
		{"raw bytes, then a response", -1, func(c *Conn) {
			buf := []byte("raw ")
			_, _ = c.Send(buf)
			copy(buf, "XXXX") // the caller reuses its buffer
			_ = s.SendResponse(c, "after", 0, MimeText, nil)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := &fuzzConn{writeLimit: tt.writeLimit}
			c := newConn(fc)
			c.keep = true
			tt.send(c)
			sent := fc.out.String()
			require.NotEmpty(t, sent)
			assert.Equal(t, sent[:min(len(sent), MaxLoggedBytes)], string(c.resp))
			assert.Equal(t, len(sent), c.bytes)
			assert.Equal(t, tt.aliases, c.respOwned)
			assert.LessOrEqual(t, cap(c.resp), MaxLoggedBytes+len("HTTP/1.0 200 OK\r\n"), "a kept response pins at most about MaxLoggedBytes")
		})
	}
}
