package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/fixture"
	"github.com/europi-http/europi-http/internal/upstream"
	"github.com/europi-http/europi-http/pyrt"
)

// rawCase is one raw request for the fidelity comparison. Steps are sent
// in order: bytes, a pause, a half-close, or an abrupt end.
type rawCase struct {
	name  string
	steps []step
	// mayReset marks requests over 1024 bytes: the close resets, so each
	// side may lose a different tail of its response.
	mayReset bool
}

type step struct {
	send      string
	pause     time.Duration
	halfClose bool
	close     bool // close without reading (FIN)
	reset     bool // close with linger 0 (RST)
}

func send(s string) step { return step{send: s} }

func get(path string) rawCase {
	return rawCase{name: "GET " + path, steps: []step{send("GET " + path + " HTTP/1.1\r\nHost: europi\r\n\r\n")}}
}

func raw(name, request string) rawCase { return rawCase{name: name, steps: []step{send(request)}} }

// fidelityCases are the raw requests sent to both servers.
func fidelityCases() []rawCase {
	var cases []rawCase
	for _, p := range []string{"/", "/html", "/text", "/json", "/csv", "/yaml", "/xml", "/headers",
		"/status/200", "/status/404", "/status/418", "/status/201", "/status/302", "/error/404",
		"/error/418", "/error/500", "/error/299", "/teapot", "/escape", "/raise", "/notimpl",
		"/default", "/silent", "/twice", "/partial", "/echo", "/big/5000", "/nope", "/text?x=1&y=2"} {
		cases = append(cases, get(p))
	}
	post := func(path, body string) string {
		return "POST " + path + " HTTP/1.1\r\nHost: europi\r\nContent-Type: text/json\r\n\r\n" + body
	}
	echoOf := func(size int) string {
		head := "POST /echo HTTP/1.1\r\n\r\n"
		return head + strings.Repeat("x", size-len(head))
	}
	cases = append(cases,
		raw("POST /echo", post("/echo", "hello")),
		raw("POST /json", post("/json", `{"cv1": 7.071, "cv2": 1.50, "n": 3, "s": "\u00fc", "l": [true, null]}`)),
		rawCase{name: "POST /json bad body", steps: []step{send(post("/json", "{nope"))}},
		raw("POST /raise", post("/raise", "")),
		raw("POST /other", post("/other", "")),
		raw("POSTMAN is a POST", "POSTMAN /echo HTTP/1.1\r\n\r\n"),
		raw("GETX is a GET", "GETX /text HTTP/1.1\r\n\r\n"),
		raw("lower-case get", "get / HTTP/1.1\r\n\r\n"),
		raw("HEAD", "HEAD / HTTP/1.1\r\n\r\n"),
		raw("PUT", "PUT /x HTTP/1.1\r\n\r\n"),
		raw("DELETE", "DELETE /x HTTP/1.1\r\n\r\n"),
		raw("OPTIONS", "OPTIONS * HTTP/1.1\r\n\r\n"),
		raw("PATCH", "PATCH /x HTTP/1.1\r\n\r\n"),
		raw("BREW", "BREW /pot HTTP/1.1\r\n\r\n"),
		raw("HTTP/1.0 request", "GET /text HTTP/1.0\r\n\r\n"),
		raw("HTTP/2.0 request", "GET /text HTTP/2.0\r\n\r\n"),
		raw("no version", "GET /text\r\n\r\n"),
		raw("bare GET", "GET"),
		raw("double space", "GET  /text HTTP/1.1\r\n\r\n"),
		raw("leading space", " GET / HTTP/1.1\r\n\r\n"),
		raw("leading NUL", "\x00GET / HTTP/1.1\r\n\r\n"),
		raw("NUL in path", "GET /echo\x00x HTTP/1.1\r\n\r\n"),
		raw("white space only", "  \t\r\n\r\n"),
		raw("unicode white space method", "PU\u2003T / HTTP/1.1\r\n\r\n"),
		raw("HTML in method", "<b>X</b> / HTTP/1.1\r\n\r\n"),
		raw("invalid UTF-8", "GET /\xff\xfe HTTP/1.1\r\n\r\n"),
		raw("invalid continuation", "GET /\xc3\x28 HTTP/1.1\r\n\r\n"),
		raw("truncated sequence at end", "GET /echo HTTP/1.1\r\n\r\n\xe2\x82"),
		raw("binary garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
		raw("1023 bytes", echoOf(1023)),
		raw("1024 bytes", echoOf(1024)),
		rawCase{name: "1025 bytes", steps: []step{send(echoOf(1025))}, mayReset: true},
		rawCase{name: "4096 bytes", steps: []step{send(echoOf(4096))}, mayReset: true},
		rawCase{name: "multi-byte character cut at 1024", steps: []step{send(echoOf(1023) + "\u00fc")}, mayReset: true},
		rawCase{name: "request line split across segments", steps: []step{send("GET /te"), {pause: 150 * time.Millisecond}, send("xt HTTP/1.1\r\n\r\n")}},
		rawCase{name: "body in a later segment is lost", steps: []step{send("POST /json HTTP/1.1\r\nContent-Length: 12\r\n\r\n"),
			{pause: 150 * time.Millisecond}, send(`{"cv1": 1.0}`)}},
		rawCase{name: "half-close with no bytes", steps: []step{{halfClose: true}}},
		rawCase{name: "request then half-close", steps: []step{send("GET /text HTTP/1.1\r\n\r\n"), {halfClose: true}}},
		rawCase{name: "connect then close", steps: []step{{close: true}}},
		rawCase{name: "connect then reset", steps: []step{{reset: true}}},
		rawCase{name: "request then close before reading", steps: []step{send("GET /big/20000 HTTP/1.1\r\n\r\n"), {close: true}}},
	)
	return cases
}

// outcome is what a client saw, normalised for comparison.
type outcome struct {
	Response string
	Reset    bool
	Escaped  bool
}

func runRawCase(t *testing.T, addr string, c rawCase) outcome {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, testDeadline)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(testDeadline)))
	for _, s := range c.steps {
		switch {
		case s.send != "":
			_, err := conn.Write([]byte(s.send))
			if err != nil { // the server may have answered and reset already
				break
			}
		case s.pause > 0:
			time.Sleep(s.pause) // part of the scenario: the segment gap
		case s.halfClose:
			require.NoError(t, conn.(*net.TCPConn).CloseWrite())
		case s.close:
			return outcome{}
		case s.reset:
			require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
			return outcome{}
		}
	}
	var out bytes.Buffer
	_, err = io.Copy(&out, conn)
	reset := errors.Is(err, syscall.ECONNRESET)
	if err != nil && !reset {
		require.NoError(t, err)
	}
	return outcome{Response: out.String(), Reset: reset}
}

var (
	pageRe  = regexp.MustCompile(`(?s)(?:<!DOCTYPE html>\s*)+<html.*?</html>\n?`)
	spaceRe = regexp.MustCompile(`\s+`)
)

// normalise replaces every error page in a response stream with its
// structure, since each implementation has its own markup.
func normalise(stream string) string {
	return pageRe.ReplaceAllStringFunc(stream, func(page string) string {
		if !strings.Contains(page, "EuroPi Error") {
			return page
		}
		p := parseErrorPage(page)
		return "[error page " + spaceRe.ReplaceAllString(p.Title+" | "+p.Heading+" | "+p.Status+" | "+p.Message, " ") + "]"
	})
}

func TestFidelityWithUpstream(t *testing.T) {
	firmware := upstream.FirmwareFromEnv(t)
	t.Run("python3", func(t *testing.T) { compareWithUpstream(t, firmware, "python3", pyrt.CPython) })
	t.Run("micropython", func(t *testing.T) {
		if _, err := exec.LookPath("micropython"); err != nil {
			t.Skip("micropython not on PATH: build MicroPython's unix port to compare with it")
		}
		compareWithUpstream(t, firmware, "micropython", pyrt.MicroPython)
	})
}

// compareWithUpstream sends every fidelity case to upstream under python
// and to the Go server copying rt, and compares what came back.
func compareWithUpstream(t *testing.T, firmware, python string, rt pyrt.Runtime) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	up, err := upstream.Start(ctx, upstream.Config{Firmware: firmware, Python: python, AppSource: fixture.Python})
	require.NoError(t, err)
	t.Cleanup(func() { _ = up.Stop() })

	s, logs := newTestServer(t)
	s.StallWarning = -1
	s.Runtime = rt
	serveInBackground(t, s)

	cases := fidelityCases()
	require.GreaterOrEqual(t, len(cases), 40)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			upEscapes, goEscapes := len(up.Escapes()), strings.Count(logs.String(), "would have stopped")
			want := runRawCase(t, up.Addr(), c)
			got := runRawCase(t, s.Addr().String(), c)
			// Escapes show up a moment later; wait for the same count on
			// both sides with a deadline rather than a sleep.
			waitCtx, done := context.WithTimeout(ctx, 300*time.Millisecond)
			_, upErr := up.WaitEscapes(waitCtx, upEscapes+1)
			done()
			want.Escaped = upErr == nil
			goEscaped := func() bool { return strings.Count(logs.String(), "would have stopped") > goEscapes }
			if want.Escaped {
				// Give the Go server the same grace to log its escape.
				deadline := time.Now().Add(2 * time.Second)
				for !goEscaped() && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
			}
			got.Escaped = goEscaped()
			if c.mayReset {
				w, g := normalise(want.Response), normalise(got.Response)
				n := min(len(w), len(g))
				assert.Equal(t, w[:n], g[:n], "the responses differ before either was cut")
				assert.Equal(t, want.Escaped, got.Escaped, "escape")
				return
			}
			want.Response = normalise(want.Response)
			got.Response = normalise(got.Response)
			if rt == pyrt.MicroPython {
				// MicroPython orders dict keys by its hash table: compare
				// JSON bodies as values.
				want.Response, got.Response = jsonAsValue(t, want.Response), jsonAsValue(t, got.Response)
			}
			assert.Equal(t, want, got)
		})
	}
}

// jsonAsValue re-encodes a text/json response's body canonically, so two
// bodies that differ only in key order compare equal.
func jsonAsValue(t *testing.T, response string) string {
	const jsonHead = "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n"
	body, ok := strings.CutPrefix(response, jsonHead)
	if !ok {
		return response
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return response // not JSON (nan/inf): compare as bytes
	}
	canonical, err := json.Marshal(v)
	require.NoError(t, err)
	return jsonHead + "[as JSON value] " + string(canonical)
}
