package emulator

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/europi-http/europi-http/server"
	"github.com/stretchr/testify/assert"
)

// fixtureStar is the conformance fixture's Starlark twin. It is read as a
// file, not imported: the emulator does not depend on package conformance.
var fixtureStar = filepath.Join("..", "conformance", "fixture", "fixture.star")

// reply builds a response as the core writes it; headers are written
// "K=V\r\n" each.
func reply(status int, contentType, headers, body string) string {
	text, _ := server.StatusText(status)
	return fmt.Sprintf("HTTP/1.0 %d %s\r\nContent-type: %s\r\ncharset=utf-8\r\n%s\r\n%s", status, text, contentType, headers, body)
}

// errorReply builds the core's error page response.
func errorReply(status int, message string) string {
	text, _ := server.StatusText(status)
	return reply(status, server.MimeHTML, "", server.ErrorPage(status, text, message))
}

type fixtureCase struct {
	request, want string
}

// fixtureCases are ROUTES.md's routes with the bytes fixture.py sends on
// upstream's server under CPython.
func fixtureCases() []fixtureCase {
	echo := "GET /echo?x=1 HTTP/1.1\r\nHost: europi\r\n\r\n"
	postEcho := "POST /echo HTTP/1.1\r\n\r\nbody"
	return []fixtureCase{
		{"GET / HTTP/1.1\r\n\r\n", reply(200, server.MimeHTML, "", "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>")},
		{"GET /?page=2 HTTP/1.1\r\n\r\n", reply(200, server.MimeHTML, "", "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>")},
		{"GET\r\n\r\n", reply(200, server.MimeHTML, "", "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>")},
		{"GET /html HTTP/1.1\r\n\r\n", reply(200, server.MimeHTML, "", "<!DOCTYPE html><html><body><p>EuroPi \u2014 gr\u00fc\u00df dich</p></body></html>")},
		{"GET /text HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "plain text from EuroPi\n")},
		{"GET /json HTTP/1.1\r\n\r\n", reply(200, server.MimeJSON, "", `{"name": "EuroPi", "cvs": 6, "volts": 2.5, "ok": true, "none": null, "list": [1, 2, 3], "unicode": "\u00fc"}`)},
		{"GET /csv HTTP/1.1\r\n\r\n", reply(200, server.MimeCSV, "", "cv,volts\r\ncv1,0.0\r\ncv2,5.0\r\n")},
		{"GET /yaml HTTP/1.1\r\n\r\n", reply(200, server.MimeYAML, "", "name: EuroPi\ncvs: 6\n")},
		{"GET /xml HTTP/1.1\r\n\r\n", reply(200, server.MimeXML, "", `<?xml version="1.0"?><europi cvs="6"/>`)},
		{"GET /headers HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "X-One=1\r\nCache-Control=no-store\r\n", "headers")},
		{"GET /status/200 HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "status 200")},
		{"GET /status/404 HTTP/1.1\r\n\r\n", reply(404, server.MimeText, "", "status 404")},
		{"GET /status/201 HTTP/1.1\r\n\r\n", errorReply(500, "201")},
		{"GET /status/x1 HTTP/1.1\r\n\r\n", errorReply(404, "No route for /status/x1")},
		{"GET /error/418 HTTP/1.1\r\n\r\n", errorReply(418, "fixture error 418")},
		{"GET /error/302 HTTP/1.1\r\n\r\n", errorReply(500, "302")},
		{"GET /error/0 HTTP/1.1\r\n\r\n", errorReply(500, "0")},
		{"GET /teapot HTTP/1.1\r\n\r\n", errorReply(418, "We're out of coffee!")},
		{"GET /escape HTTP/1.1\r\n\r\n", errorReply(400, "<b>not escaped</b> & raw")},
		{"GET /raise HTTP/1.1\r\n\r\n", errorReply(500, "fixture raised")},
		{"GET /notimpl HTTP/1.1\r\n\r\n", errorReply(501, "fixture not implemented")},
		{"GET /default HTTP/1.1\r\n\r\n", errorReply(501, "No request handler set")},
		{"GET /silent HTTP/1.1\r\n\r\n", ""},
		{"GET /twice HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "first") + reply(200, server.MimeText, "", "second")},
		{"GET /partial HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "partial") + errorReply(500, "after partial")},
		{echo, reply(200, server.MimeText, "", echo)},
		{"GET /big/25 HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "0123456789012345678901234")},
		{"GET /big/0 HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "")},
		{"GET /nowhere HTTP/1.1\r\n\r\n", errorReply(404, "No route for /nowhere")},
		{"GETX /text HTTP/1.1\r\n\r\n", reply(200, server.MimeText, "", "plain text from EuroPi\n")},
		{postEcho, reply(200, server.MimeText, "", postEcho)},
		{"POST /json HTTP/1.1\r\n\r\n{\"a\": [1, 2.50, 1E2], \"b\": \"\u00fc\"}", reply(200, server.MimeJSON, "", `{"received": {"a": [1, 2.5, 100.0], "b": "\u00fc"}}`)},
		{"POST /json HTTP/1.1\r\n\r\n{nope", errorReply(400, "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")},
		{"POST /json HTTP/1.1\r\n\r\n", errorReply(400, "Expecting value: line 1 column 1 (char 0)")},
		{"POST /json HTTP/1.1\r\n", errorReply(400, "Expecting value: line 1 column 1 (char 0)")},
		{"POST /raise HTTP/1.1\r\n\r\n", errorReply(500, "fixture raised")},
		{"POST /nowhere HTTP/1.1\r\n\r\n", errorReply(404, "No route for /nowhere")},
		{"HEAD / HTTP/1.1\r\n\r\n", errorReply(400, "Unsupported HTTP method HEAD")},
	}
}

// fixtureRequests are the requests of fixtureCases.
func fixtureRequests() []string {
	var out []string
	for _, c := range fixtureCases() {
		out = append(out, c.request)
	}
	return out
}

// TestFixtureStarlark serves fixture.star and checks every route of
// ROUTES.md byte for byte.
func TestFixtureStarlark(t *testing.T) {
	addr := startEmulator(t, Config{ScriptPath: fixtureStar})
	for _, c := range fixtureCases() {
		t.Run(c.request, func(t *testing.T) {
			assert.Equal(t, c.want, string(exchange(t, addr, []byte(c.request))))
		})
	}
}
