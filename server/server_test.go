package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	htmlHead = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n"
	textHead = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n"
)

func errorHead(code int, text string) string {
	return "HTTP/1.0 " + itoa(code) + " " + text + "\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n"
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestResponsesByteForByte(t *testing.T) {
	tests := []struct {
		name    string
		request string
		want    string
	}{
		{"html", "GET /html HTTP/1.1\r\nHost: x\r\n\r\n", htmlHead + "<!DOCTYPE html><html><body><p>EuroPi \u2014 gr\u00fc\u00df dich</p></body></html>"},
		{"text", "GET /text HTTP/1.1\r\n\r\n", textHead + "plain text from EuroPi\n"},
		{"json", "GET /json HTTP/1.1\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n" +
			`{"name": "EuroPi", "cvs": 6, "volts": 2.5, "ok": true, "none": null, "list": [1, 2, 3], "unicode": "\u00fc"}`},
		{"csv", "GET /csv HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-type: text/csv\r\ncharset=utf-8\r\n\r\ncv,volts\r\ncv1,0.0\r\ncv2,5.0\r\n"},
		{"yaml", "GET /yaml HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-type: text/yaml\r\ncharset=utf-8\r\n\r\nname: EuroPi\ncvs: 6\n"},
		{"xml", "GET /xml HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-type: text/xml\r\ncharset=utf-8\r\n\r\n<?xml version=\"1.0\"?><europi cvs=\"6\"/>"},
		{"extra headers as Key=Value in order", "GET /headers HTTP/1.1\r\n\r\n",
			"HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\nX-One=1\r\nCache-Control=no-store\r\n\r\nheaders"},
		{"prefix dispatch GETX is a GET", "GETX /text HTTP/1.1\r\n\r\n", textHead + "plain text from EuroPi\n"},
		{"HTTP/2.0 still answered HTTP/1.0", "GET /text HTTP/2.0\r\n\r\n", textHead + "plain text from EuroPi\n"},
		{"query dropped by the fixture", "GET /text?x=1 HTTP/1.1\r\n\r\n", textHead + "plain text from EuroPi\n"},
		{"twice sends two responses", "GET /twice HTTP/1.1\r\n\r\n", textHead + "first" + textHead + "second"},
		{"status 200 from table", "GET /status/200 HTTP/1.1\r\n\r\n", textHead + "status 200"},
		{"known non-200 status", "GET /status/403 HTTP/1.1\r\n\r\n", "HTTP/1.0 403 Forbidden\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nstatus 403"},
		{"silent handler sends nothing", "GET /silent HTTP/1.1\r\n\r\n", ""},
		{"echo", "POST /echo HTTP/1.1\r\n\r\nbody", textHead + "POST /echo HTTP/1.1\r\n\r\nbody"},
		{"post json", "POST /json HTTP/1.1\r\n\r\n{\"cv1\": 1.50, \"n\": 3}", "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n" +
			`{"received": {"cv1": 1.5, "n": 3}}`},
	}
	s, _ := newTestServer(t)
	serveInBackground(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rawExchange(t, s.Addr().String(), []byte(tt.request))
			assert.Equal(t, tt.want, string(got.Response))
		})
	}
}

func TestErrorPages(t *testing.T) {
	tests := []struct {
		name    string
		request string
		runtime pyrt.Runtime
		code    int
		text    string
		message string
	}{
		{"404 from handler", "GET /nope HTTP/1.1\r\n\r\n", pyrt.CPython, 404, "Not Found", "No route for /nope"},
		{"418 teapot", "GET /teapot HTTP/1.1\r\n\r\n", pyrt.CPython, 418, "I'm a teapot", "We're out of coffee!"},
		{"message not escaped", "GET /escape HTTP/1.1\r\n\r\n", pyrt.CPython, 400, "Bad Request", "<b>not escaped</b> & raw"},
		{"exception is 500", "GET /raise HTTP/1.1\r\n\r\n", pyrt.CPython, 500, "Internal Server Error", "fixture raised"},
		{"NotImplementedError is 501", "GET /notimpl HTTP/1.1\r\n\r\n", pyrt.CPython, 501, "Not Implemented", "fixture not implemented"},
		{"default handler is 501", "GET /default HTTP/1.1\r\n\r\n", pyrt.CPython, 501, "Not Implemented", "No request handler set"},
		{"unknown status is 500 with the number", "GET /status/201 HTTP/1.1\r\n\r\n", pyrt.CPython, 500, "Internal Server Error", "201"},
		{"unknown error page status is 500 with the number", "GET /error/302 HTTP/1.1\r\n\r\n", pyrt.CPython, 500, "Internal Server Error", "302"},
		{"lower-case method is 400", "get / HTTP/1.1\r\n\r\n", pyrt.CPython, 400, "Bad Request", "Unsupported HTTP method get"},
		{"HEAD is 400", "HEAD / HTTP/1.1\r\n\r\n", pyrt.CPython, 400, "Bad Request", "Unsupported HTTP method HEAD"},
		{"leading space is 400 with the stripped word", "  PUT /x HTTP/1.1\r\n\r\n", pyrt.CPython, 400, "Bad Request", "Unsupported HTTP method PUT"},
		{"unicode white space splits on CPython", "DE\u00a0LETE / HTTP/1.1\r\n\r\n", pyrt.CPython, 400, "Bad Request", "Unsupported HTTP method DE"},
		{"unicode white space does not split on MicroPython", "DE\u00a0LETE / HTTP/1.1\r\n\r\n", pyrt.MicroPython, 400, "Bad Request", "Unsupported HTTP method DE\u00a0LETE"},
		{"blank request is 500", " \r\n\r\n", pyrt.CPython, 500, "Internal Server Error", "list index out of range"},
		{"invalid UTF-8 on CPython", "GET /\xff HTTP/1.1\r\n\r\n", pyrt.CPython, 500, "Internal Server Error",
			"'utf-8' codec can't decode byte 0xff in position 5: invalid start byte"},
		{"invalid UTF-8 on MicroPython", "GET /\xff HTTP/1.1\r\n\r\n", pyrt.MicroPython, 500, "Internal Server Error", ""},
		{"POST bad json is 400", "POST /json HTTP/1.1\r\n\r\n{", pyrt.CPython, 400, "Bad Request", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
		{"POST bad json is 400 with MicroPython's message", "POST /json HTTP/1.1\r\n\r\n{", pyrt.MicroPython, 400, "Bad Request", "syntax error in JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			s.Runtime = tt.runtime
			serveInBackground(t, s)
			got := string(rawExchange(t, s.Addr().String(), []byte(tt.request)).Response)
			head := errorHead(tt.code, tt.text)
			require.True(t, strings.HasPrefix(got, head), "header block: %q", got)
			page := parseErrorPage(got[len(head):])
			assert.Equal(t, errorPageParts{
				Title: "EuroPi Error " + itoa(tt.code), Heading: "EuroPi",
				Status: itoa(tt.code) + " " + tt.text, Message: tt.message,
			}, page)
		})
	}
}

func TestPartialThenRaiseSendsBoth(t *testing.T) {
	s, _ := newTestServer(t)
	serveInBackground(t, s)
	got := string(rawExchange(t, s.Addr().String(), []byte("GET /partial HTTP/1.1\r\n\r\n")).Response)
	first := textHead + "partial"
	require.True(t, strings.HasPrefix(got, first), got)
	rest := got[len(first):]
	head := errorHead(500, "Internal Server Error")
	require.True(t, strings.HasPrefix(rest, head), rest)
	assert.Equal(t, "after partial", parseErrorPage(rest[len(head):]).Message)
}

func TestRequestCutAt1024Bytes(t *testing.T) {
	for _, size := range []int{1023, 1024, 1025, 4000} {
		t.Run(itoa(size), func(t *testing.T) {
			s, _ := newTestServer(t)
			serveInBackground(t, s)
			head := "POST /echo HTTP/1.1\r\n\r\n"
			req := head + strings.Repeat("a", size-len(head))
			got := rawExchange(t, s.Addr().String(), []byte(req))
			want := textHead + req[:min(size, RequestLimit)]
			if size <= RequestLimit {
				assert.Equal(t, want, string(got.Response))
				return
			}
			// The unread rest makes close() reset the connection, so the
			// client may lose the tail of the response (or all of it).
			assert.True(t, strings.HasPrefix(want, string(got.Response)), "got %q", got.Response)
			if len(got.Response) < len(want) {
				assert.True(t, got.Reset, "a short response must end in a reset")
			}
		})
	}
}

func TestOneReadDoesNotWaitForTheBody(t *testing.T) {
	s, _ := newTestServer(t)
	serveInBackground(t, s)
	// The body promised by Content-Length never comes: the server answers
	// from its one read instead of waiting for it.
	req := "POST /echo HTTP/1.1\r\nContent-Length: 9\r\n\r\n"
	got := rawExchange(t, s.Addr().String(), []byte(req))
	assert.Equal(t, textHead+req, string(got.Response))
}

func TestMultiByteCharacterCutAt1024(t *testing.T) {
	s, _ := newTestServer(t)
	serveInBackground(t, s)
	head := "POST /echo HTTP/1.1\r\n\r\n"
	req := head + strings.Repeat("a", RequestLimit-1-len(head)) + "\u00fc" + "tail"
	got := string(rawExchange(t, s.Addr().String(), []byte(req)).Response)
	prefix := errorHead(500, "Internal Server Error")
	if len(got) > 0 { // a reset may eat the whole response
		require.True(t, strings.HasPrefix(prefix, got) || strings.HasPrefix(got, prefix), "%q", got)
	}
	if len(got) > len(prefix) && strings.Contains(got, "</html>") {
		assert.Equal(t, "'utf-8' codec can't decode byte 0xc3 in position 1023: unexpected end of data",
			parseErrorPage(got[len(prefix):]).Message)
	}
}
