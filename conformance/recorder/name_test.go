package recorder

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestID(t *testing.T) {
	tests := []struct {
		seq  int
		sent string
		want string
	}{
		{1, "GET / HTTP/1.0\r\n\r\n", "0001-get-index"},
		{7, "POST /json HTTP/1.0\r\n\r\n{}", "0007-post-json"},
		{12, "GET /status/404?x=1 HTTP/1.1\r\n", "0012-get-status-404"},
		{3, "", "0003-no-request"},
		{3, "GET", "0003-get"},
		{3, "get /A_B.html\n", "0003-get-a-b-html"},
		{4, "GET /../../etc/passwd HTTP/1.0\r\n", "0004-get-etc-passwd"},
		{5, "\x00\xff /x", "0005-raw-x"},
		{6, "GET /" + strings.Repeat("ab/", 40) + " HTTP/1.0", "0006-get-" + strings.Repeat("ab-", 13) + "a"},
		{12345, "PUT /x", "12345-put-x"},
		{8, "GET /\xc3\xbc/x HTTP/1.0", "0008-get-x"},
	}
	for _, tt := range tests {
		got := ID(tt.seq, []byte(tt.sent))
		assert.Equal(t, tt.want, got, "%q", tt.sent)
		assert.Regexp(t, plainID, got)
		assert.LessOrEqual(t, len(got), 6+2*maxSlug+2)
	}
}

func TestPrintableAndCut(t *testing.T) {
	assert.Equal(t, "GET / HTTP/1.0", printable("GET / HTTP/1.0"))
	assert.Equal(t, `"GET /\x00"`, printable("GET /\x00"))
	assert.Equal(t, "abc", cut("abc", 3))
	assert.Equal(t, "ab...", cut("abc", 2))
}
