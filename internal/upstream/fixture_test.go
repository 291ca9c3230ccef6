package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/fixture"
)

// These tests run upstream's real http_server.py from $EUROPI_FIRMWARE with
// the conformance fixture, and check every route of ROUTES.md on the wire.

// head is the header block upstream writes: status line, Content-type, the
// bare charset line, then each extra header as Key=Value, then a blank line.
func head(code int, text, mime string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.0 %d %s\r\nContent-type: %s\r\ncharset=utf-8\r\n", code, text, mime)
	for _, kv := range extra {
		b.WriteString(kv + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

var (
	statusText = map[int]string{
		200: "OK", 400: "Bad Request", 404: "Not Found", 418: "I'm a teapot",
		403: "Forbidden", 500: "Internal Server Error", 501: "Not Implemented",
	}
	textHead = head(200, "OK", "text/plain")
)

// page is the header block of an error page.
func page(code int) string { return head(code, statusText[code], "text/html") }

// fixtureCase is one request to the fixture and what must come back.
type fixtureCase struct {
	name    string
	request string
	head    string // exact header block
	body    string // exact body, unless json or message is set
	json    string // body compared as a JSON value (key order and escapes differ by runtime)
	message string // body is an error page that carries this text
	raw     string // whole response, exact, for multi-response routes
}

var fixtureCases = []fixtureCase{
	{name: "index", request: "GET / HTTP/1.0\r\n\r\n", head: head(200, "OK", "text/html"),
		body: "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>"},
	{name: "no path is index", request: "GET\r\n\r\n", head: head(200, "OK", "text/html"),
		body: "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>"},
	{name: "html utf-8", request: "GET /html HTTP/1.1\r\nHost: x\r\n\r\n", head: head(200, "OK", "text/html"),
		body: "<!DOCTYPE html><html><body><p>EuroPi \u2014 gr\u00fc\u00df dich</p></body></html>"},
	{name: "text", request: "GET /text HTTP/1.0\r\n\r\n", head: textHead, body: "plain text from EuroPi\n"},
	{name: "json", request: "GET /json HTTP/1.0\r\n\r\n", head: head(200, "OK", "text/json"),
		json: `{"name": "EuroPi", "cvs": 6, "volts": 2.5, "ok": true, "none": null, "list": [1, 2, 3], "unicode": "ü"}`},
	{name: "csv", request: "GET /csv HTTP/1.0\r\n\r\n", head: head(200, "OK", "text/csv"), body: "cv,volts\r\ncv1,0.0\r\ncv2,5.0\r\n"},
	{name: "yaml", request: "GET /yaml HTTP/1.0\r\n\r\n", head: head(200, "OK", "text/yaml"), body: "name: EuroPi\ncvs: 6\n"},
	{name: "xml", request: "GET /xml HTTP/1.0\r\n\r\n", head: head(200, "OK", "text/xml"), body: `<?xml version="1.0"?><europi cvs="6"/>`},
	{name: "headers", request: "GET /headers HTTP/1.0\r\n\r\n",
		head: head(200, "OK", "text/plain", "X-One=1", "Cache-Control=no-store"), body: "headers"},
	{name: "known status", request: "GET /status/404 HTTP/1.0\r\n\r\n", head: head(404, "Not Found", "text/plain"), body: "status 404"},
	{name: "query dropped", request: "GET /status/200?x=1 HTTP/1.0\r\n\r\n", head: textHead, body: "status 200"},
	{name: "unknown status", request: "GET /status/201 HTTP/1.0\r\n\r\n", head: page(500), message: "201"},
	{name: "error page", request: "GET /error/403 HTTP/1.0\r\n\r\n", head: page(403), message: "fixture error 403"},
	{name: "error page unknown code", request: "GET /error/302 HTTP/1.0\r\n\r\n", head: page(500), message: "302"},
	{name: "teapot", request: "GET /teapot HTTP/1.0\r\n\r\n", head: page(418), message: "We're out of coffee!"},
	{name: "not escaped", request: "GET /escape HTTP/1.0\r\n\r\n", head: page(400), message: "<b>not escaped</b> & raw"},
	{name: "raise", request: "GET /raise HTTP/1.0\r\n\r\n", head: page(500), message: "fixture raised"},
	{name: "not implemented", request: "GET /notimpl HTTP/1.0\r\n\r\n", head: page(501), message: "fixture not implemented"},
	{name: "default handler", request: "GET /default HTTP/1.0\r\n\r\n", head: page(501), message: "No request handler set"},
	{name: "silent", request: "GET /silent HTTP/1.0\r\n\r\n", raw: ""},
	{name: "twice", request: "GET /twice HTTP/1.0\r\n\r\n", raw: textHead + "first" + textHead + "second"},
	{name: "echo", request: "GET /echo?q HTTP/1.0\r\nX-Test: yes\r\n\r\n", head: textHead,
		body: "GET /echo?q HTTP/1.0\r\nX-Test: yes\r\n\r\n"},
	{name: "big", request: "GET /big/25 HTTP/1.0\r\n\r\n", head: textHead, body: "0123456789012345678901234"},
	{name: "big empty", request: "GET /big/0 HTTP/1.0\r\n\r\n", head: textHead, body: ""},
	{name: "no route", request: "GET /nope?x=1 HTTP/1.0\r\n\r\n", head: page(404), message: "No route for /nope"},
	{name: "digits required", request: "GET /status/x1 HTTP/1.0\r\n\r\n", head: page(404), message: "No route for /status/x1"},
	{name: "post echo", request: "POST /echo HTTP/1.0\r\n\r\nbody", head: textHead, body: "POST /echo HTTP/1.0\r\n\r\nbody"},
	{name: "post json", request: "POST /json HTTP/1.0\r\nContent-Length: 15\r\n\r\n{\"a\": [1, 2.5]}",
		head: head(200, "OK", "text/json"), json: `{"received": {"a": [1, 2.5]}}`},
	{name: "post bad json", request: "POST /json HTTP/1.0\r\n\r\n{nope", head: page(400), message: "EuroPi Error 400"},
	{name: "post no body", request: "POST /json HTTP/1.0", head: page(400), message: "EuroPi Error 400"},
	{name: "post raise", request: "POST /raise HTTP/1.0\r\n\r\n", head: page(500), message: "fixture raised"},
	{name: "post no route", request: "POST /json/x HTTP/1.0\r\n\r\n", head: page(404), message: "No route for /json/x"},
	{name: "unsupported method", request: "DELETE / HTTP/1.0\r\n\r\n", head: page(400), message: "Unsupported HTTP method DELETE"},
}

// TestFixtureOnUpstream runs every route of the fixture on upstream's
// server, under each interpreter.
func TestFixtureOnUpstream(t *testing.T) {
	fw := FirmwareFromEnv(t)
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			p := startT(t, Config{Firmware: fw, Python: rt.python, AppSource: fixture.Python})

			for _, tc := range fixtureCases {
				t.Run(tc.name, func(t *testing.T) {
					raw := exchange(t, p.Addr(), tc.request)
					if tc.head == "" {
						require.Equal(t, tc.raw, string(raw))
						return
					}
					gotHead, body := splitResponse(t, raw)
					require.Equal(t, tc.head, gotHead)
					switch {
					case tc.json != "":
						assert.JSONEq(t, tc.json, string(body))
					case tc.message != "":
						assertErrorPage(t, string(body), tc.head, tc.message)
					default:
						assert.Equal(t, tc.body, string(body))
					}
				})
			}
			require.Empty(t, p.Escapes(), "no route may end the script")
		})
	}
}

// assertErrorPage checks an error page by what it must say, not by its
// markup: the title and heading name the status, the message is there
// unescaped.
func assertErrorPage(t *testing.T, body, wantHead, message string) {
	t.Helper()
	var code int
	var text string
	_, err := fmt.Sscanf(wantHead, "HTTP/1.0 %d", &code)
	require.NoError(t, err)
	text = statusText[code]
	assert.Contains(t, body, fmt.Sprintf("EuroPi Error %d", code))
	assert.Contains(t, body, fmt.Sprintf("%d %s", code, text))
	assert.Contains(t, body, message)
}

// TestFixtureJSONBytesOnCPython pins the exact body CPython's json writes:
// ", " and ": " separators, insertion order, non-ASCII escaped.
func TestFixtureJSONBytesOnCPython(t *testing.T) {
	fw := FirmwareFromEnv(t)
	rt := runtimes[0]
	needInterpreter(t, rt)
	p := startT(t, Config{Firmware: fw, Python: rt.python, AppSource: fixture.Python})

	raw := exchange(t, p.Addr(), "GET /json HTTP/1.0\r\n\r\n")
	require.Equal(t, "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n"+
		`{"name": "EuroPi", "cvs": 6, "volts": 2.5, "ok": true, "none": null, "list": [1, 2, 3], "unicode": "\u00fc"}`,
		string(raw))
}

// TestFixtureEscapeOnEmptyConnection checks that the runner reports an
// exception escaping check_requests() and keeps serving.
//
// Quirk: a client that connects and leaves without a byte makes upstream's
// error page fail to send inside its except block, so the exception escapes
// check_requests(); on a device the script would end there.
func TestFixtureEscapeOnEmptyConnection(t *testing.T) {
	fw := FirmwareFromEnv(t)
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			p := startT(t, Config{Firmware: fw, Python: rt.python, AppSource: fixture.Python})

			connectAndLeave(t, p.Addr())
			ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
			defer cancel()
			escapes, err := p.WaitEscapes(ctx, 1)
			require.NoError(t, err)
			require.Len(t, escapes, 1)
			assert.Regexp(t, `^(BrokenPipeError|ConnectionResetError|OSError): `, escapes[0])

			gotHead, _ := splitResponse(t, exchange(t, p.Addr(), "GET /text HTTP/1.0\r\n\r\n"))
			assert.Equal(t, textHead, gotHead)
			assert.Len(t, p.Escapes(), 1)
		})
	}
}

// TestFixtureStopLeavesNothing checks Stop on the real server.
func TestFixtureStopLeavesNothing(t *testing.T) {
	fw := FirmwareFromEnv(t)
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			ctx, cancel := context.WithTimeout(context.Background(), DefaultReadyTimeout)
			defer cancel()
			p, err := Start(ctx, Config{Firmware: fw, Python: rt.python, AppSource: fixture.Python})
			require.NoError(t, err)
			exchange(t, p.Addr(), "GET / HTTP/1.0\r\n\r\n")
			require.NoError(t, p.Stop())
			requireGone(t, p)
		})
	}
}

// jsonValue decodes a response body for comparisons that ignore key order.
func jsonValue(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(body, &v), "body %q", body)
	return v
}
