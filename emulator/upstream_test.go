package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/europi-http/europi-http/internal/upstream"
	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pythonRuntime is an interpreter upstream runs under and the runtime the
// emulator copies for it.
type pythonRuntime struct {
	python  string
	runtime pyrt.Runtime
}

var pythonRuntimes = []pythonRuntime{
	{python: "python3", runtime: pyrt.CPython},
	{python: "micropython", runtime: pyrt.MicroPython},
}

// startUpstream runs app on upstream's http_server.py, skipping when the
// interpreter is missing, and stops it when the test ends.
func startUpstream(t *testing.T, fw string, rt pythonRuntime, app string, inputs map[string]float64) string {
	t.Helper()
	if _, err := exec.LookPath(rt.python); err != nil {
		t.Skipf("%s is not on PATH", rt.python)
	}
	ctx, cancel := context.WithTimeout(context.Background(), upstream.DefaultReadyTimeout)
	defer cancel()
	p, err := upstream.Start(ctx, upstream.Config{Firmware: fw, Python: rt.python, App: app, Inputs: inputs})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Stop()) })
	return p.Addr()
}

// startEmulator serves cfg on a loopback listener until the test ends.
func startEmulator(t *testing.T, cfg Config) string {
	t.Helper()
	em, err := New(cfg)
	require.NoError(t, err)
	return startServing(t, em)
}

// splitReply cuts a reply at the end of its header block.
func splitReply(t *testing.T, reply []byte) (head, body []byte) {
	t.Helper()
	i := bytes.Index(reply, []byte("\r\n\r\n"))
	require.GreaterOrEqual(t, i, 0, "no header block in %q", reply)
	return reply[:i+4], reply[i+4:]
}

// jsonOf decodes a JSON body into plain Go values.
func jsonOf(t *testing.T, body []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(body, &v), "body %q", body)
	return v
}

// TestHTTPControlMatchesUpstream sends the same raw requests to upstream's
// contrib/http_control.py and to the embedded port, with the same inputs,
// and wants the same status lines and header blocks byte for byte and the
// same JSON values (the same bytes under CPython, whose dicts keep their
// order). The GET page is the project's own, so only its shape is
// compared; bad JSON is where the port deliberately differs.
func TestHTTPControlMatchesUpstream(t *testing.T) {
	fw := upstream.FirmwareFromEnv(t)
	app := filepath.Join(fw, "software", "contrib", "http_control.py")
	if _, err := os.Stat(app); err != nil {
		t.Skipf("this checkout has no contrib/http_control.py: %v", err)
	}
	inputs := map[string]float64{"k1": 0.25, "k2": 0.75, "ain": 3.3, "din": 1, "b1": 0, "b2": 1}
	posts := []string{
		`{"cv1":7.071,"cv2":8.5,"cv3":0,"cv4":0,"cv5":3.857,"cv6":5.929}`,
		`{"cv1": 0.001, "cv2": 9.999, "cv3": 10, "cv4": 12.5, "cv5": -1, "cv6": 4.99999}`,
		`{"cv2": null, "cv4": 1e-9}`,
		`{"cv1": true, "cv6": 3}`,
		`{}`,
	}
	for _, rt := range pythonRuntimes {
		t.Run(rt.python, func(t *testing.T) {
			up := startUpstream(t, fw, rt, app, inputs)
			io := NewIO()
			for name, v := range inputs {
				if name == "k1" || name == "k2" {
					v *= 100 // Set takes knobs in percent
				}
				require.NoError(t, io.Set(name, v))
			}
			emu := startEmulator(t, Config{IO: io, Runtime: rt.runtime})

			const get = "GET / HTTP/1.1\r\nHost: europi\r\n\r\n"
			upHead, upBody := splitReply(t, exchange(t, up, []byte(get)))
			emHead, emBody := splitReply(t, exchange(t, emu, []byte(get)))
			assert.Equal(t, string(upHead), string(emHead))
			for _, body := range [][]byte{upBody, emBody} {
				assert.Equal(t, 6, bytes.Count(body, []byte(`type="range"`)), "six sliders")
				assert.Contains(t, string(body), "document.URL", "the page posts to its own URL")
			}

			for _, body := range posts {
				req := []byte("POST / HTTP/1.1\r\nHost: europi\r\nContent-Type: text/json\r\n\r\n" + body)
				upReply, emReply := exchange(t, up, req), exchange(t, emu, req)
				upHead, upJSON := splitReply(t, upReply)
				emHead, emJSON := splitReply(t, emReply)
				assert.Equal(t, string(upHead), string(emHead), body)
				assertSameJSON(t, jsonOf(t, upJSON), jsonOf(t, emJSON), body)
				if rt.runtime == pyrt.CPython {
					assert.Equal(t, string(upReply), string(emReply), body)
				}
			}

			// A bug the port does not copy: upstream's error branch calls
			// an undefined log_warn, so bad JSON is a 500 there and the
			// 400 it meant here.
			req := []byte("POST / HTTP/1.1\r\n\r\n{nope")
			upHead, upPage := splitReply(t, exchange(t, up, req))
			emHead, emPage := splitReply(t, exchange(t, emu, req))
			assert.True(t, strings.HasPrefix(string(upHead), "HTTP/1.0 500 "), string(upHead))
			assert.Contains(t, string(upPage), "log_warn")
			assert.True(t, strings.HasPrefix(string(emHead), "HTTP/1.0 400 "), string(emHead))
			assert.NotContains(t, string(emPage), "log_warn")
		})
	}
}

// TestFixtureMatchesUpstream runs the conformance fixture's two twins,
// fixture.py on upstream's server and fixture.star on the emulator, and
// wants the same bytes for every route, error pages compared by their
// fields (the project has its own markup) and JSON bodies as values under
// MicroPython, whose dicts have no order and whose floats print their own
// way.
func TestFixtureMatchesUpstream(t *testing.T) {
	fw := upstream.FirmwareFromEnv(t)
	dir := filepath.Join("..", "conformance", "fixture")
	requests := append(fixtureRequests(), fixtureOnlyRequests...)
	for _, rt := range pythonRuntimes {
		t.Run(rt.python, func(t *testing.T) {
			up := startUpstream(t, fw, rt, filepath.Join(dir, "fixture.py"), nil)
			emu := startEmulator(t, Config{ScriptPath: filepath.Join(dir, "fixture.star"), Runtime: rt.runtime})
			for _, req := range requests {
				if rt.runtime == pyrt.MicroPython && req == lenientJSON {
					continue // MicroPython's parser accepts it; the emulator's does not (README)
				}
				upReply := asProjectPages(exchange(t, up, []byte(req)))
				emReply := exchange(t, emu, []byte(req))
				if rt.runtime == pyrt.MicroPython && strings.Contains(string(upReply), "Content-type: text/json") {
					upHead, upJSON := splitReply(t, upReply)
					emHead, emJSON := splitReply(t, emReply)
					assert.Equal(t, string(upHead), string(emHead), req)
					assertSameJSON(t, jsonOf(t, upJSON), jsonOf(t, emJSON), req)
					continue
				}
				assert.Equal(t, string(upReply), string(emReply), "reply to %q", req)
			}
		})
	}
}

// lenientJSON is malformed JSON that MicroPython's json.loads accepts
// anyway (it skips the missing value); the emulator parses as CPython
// does under both runtimes.
const lenientJSON = "POST /json HTTP/1.1\r\n\r\n{\"a\": 1,\n \"b\": }"

// fixtureOnlyRequests are requests TestFixtureStarlark checks by other
// means but which are worth comparing with upstream too.
var fixtureOnlyRequests = []string{
	"POST /json HTTP/1.1\r\n\r\n" + strings.Repeat("[", 900),
	lenientJSON,
	"POST /json HTTP/1.1\r\n\r\n\"\\ud83d\\ude00 \\u00fc\"",
	"GET /status/0200 HTTP/1.1\r\n\r\n",
	"GET /status/99999999999999999999 HTTP/1.1\r\n\r\n",
	"GET /big/1234567 HTTP/1.1\r\n\r\n",
}

// upstreamPage matches upstream's error page by the facts that identify
// it: the doubled doctype, the code in the title, the reason in the h2 and
// the message on its own indented line in the paragraph.
var upstreamPage = regexp.MustCompile(`(?s)<!DOCTYPE html>\n<!DOCTYPE html>\n.*?<title>EuroPi Error (\d+)</title>.*?<h2>\d+ ([^<]*)</h2>\s*<p>\n {16}(.*?)\n {12}</p>.*?</html>\n`)

// asProjectPages replaces each of upstream's error pages in reply with the
// project's page for the same code, reason and message.
func asProjectPages(reply []byte) []byte {
	return upstreamPage.ReplaceAllFunc(reply, func(page []byte) []byte {
		m := upstreamPage.FindSubmatch(page)
		code, _ := strconv.Atoi(string(m[1]))
		return []byte(server.ErrorPage(code, string(m[2]), string(m[3])))
	})
}

// assertSameJSON compares decoded JSON values, numbers to within a
// relative 1e-12: MicroPython prints floats with its own algorithm, which
// can differ from Python's repr in the last digit.
func assertSameJSON(t *testing.T, want, got any, msg string) {
	t.Helper()
	switch w := want.(type) {
	case float64:
		g, ok := got.(float64)
		if assert.True(t, ok, "%s: %v is not a number", msg, got) && w != g {
			assert.InEpsilon(t, w, g, 1e-12, msg)
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if assert.True(t, ok, "%s: %v is not an object", msg, got) {
			assert.ElementsMatch(t, keysOf(w), keysOf(g), msg)
			for k, v := range w {
				assertSameJSON(t, v, g[k], msg+"."+k)
			}
		}
	case []any:
		g, ok := got.([]any)
		if assert.True(t, ok, "%s: %v is not an array", msg, got) && assert.Len(t, g, len(w), msg) {
			for i := range w {
				assertSameJSON(t, w[i], g[i], fmt.Sprintf("%s[%d]", msg, i))
			}
		}
	default:
		assert.Equal(t, want, got, msg)
	}
}

func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
