package emulator

import (
	"context"
	"errors"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/europi-http/europi-http/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
	"golang.org/x/tools/txtar"
)

// writeScript writes files into a new folder and returns the path of its
// app.star.
func writeScript(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	return filepath.Join(dir, "app.star")
}

// textScript answers every GET with body as plain text.
func textScript(body string) string {
	return `server = HttpServer()
def get(request = None, connection = None):
    server.send_response(connection, ` + body + `, content_type = MimeTypes.TEXT)
server.get_handler(get)
`
}

// bodyOf is the body of a reply.
func bodyOf(t *testing.T, reply []byte) string {
	t.Helper()
	_, body := splitReply(t, reply)
	return string(body)
}

func TestNewErrors(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"x"`)})
	tests := []struct {
		name string
		cfg  Config
		err  string
	}{
		{"both", Config{ScriptPath: script, Example: "status"}, "emulator: set one of a script path, an example or a script's source"},
		{"path and source", Config{ScriptPath: script, Source: []byte("x")}, "emulator: set one of"},
		{"example and fs", Config{Example: "status", ScriptFS: fstest.MapFS{}, ScriptName: "a.star"}, "emulator: set one of"},
		{"watch example", Config{Example: "status", Watch: true}, "emulator: watching needs a script path"},
		{"watch source", Config{Source: []byte("x"), Watch: true}, "emulator: watching needs a script path"},
		{"fs without a name", Config{ScriptFS: fstest.MapFS{}}, "emulator: a script in ScriptFS needs its ScriptName"},
		{"missing in fs", Config{ScriptFS: fstest.MapFS{}, ScriptName: "app.star"}, "emulator: open app.star: file does not exist"},
		{"missing file", Config{ScriptPath: filepath.Join(t.TempDir(), "none.star")}, "no such file or directory"},
		{"unknown example", Config{Example: "nope"}, `no example called "nope": there are form, http_control, status`},
		{"example path", Config{Example: "../emulator"}, `no example called "../emulator"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			var se *ScriptError
			assert.False(t, errors.As(err, &se), "not a script error")
		})
	}
}

// TestGivenScript loads scripts given as code or as a file of an fs.FS,
// not as a path: load_file reads the fs.FS, and nothing without one.
func TestGivenScript(t *testing.T) {
	page := `server = HttpServer()
def get(request = None, connection = None):
    page, err = catch(load_file, "page.html")
    server.send_response(connection, page or err, content_type = MimeTypes.TEXT)
server.get_handler(get)
`
	files := fstest.MapFS{"app.star": {Data: []byte(page)}, "page.html": {Data: []byte("<p>hi</p>")}}
	tests := []struct {
		name, wantName, wantBody string
		cfg                      Config
	}{
		{"source alone", "script.star", `load_file: cannot read "page.html": file does not exist`, Config{Source: []byte(page)}},
		{"named source", "mine.star", `load_file: cannot read "page.html": file does not exist`, Config{Source: []byte(page), ScriptName: "mine.star"}},
		{"source and folder", "script.star", "<p>hi</p>", Config{Source: []byte(page), ScriptFS: files}},
		{"a file of the folder", "app.star", "<p>hi</p>", Config{ScriptFS: files, ScriptName: "app.star"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em, err := New(tt.cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, em.ScriptName())
			addr := startServing(t, em)
			assert.Equal(t, tt.wantBody, bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.0\r\n\r\n"))))
		})
	}

	_, err := New(Config{Source: []byte("x = 1\n"), ScriptName: "bad.star"})
	var se *ScriptError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "bad.star", se.File, "a script error names the given script")
}

func TestScriptError(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": "server = HttpServer()\n\ndef f():\n    return {}[1]\n\nX = f()\n"})
	_, err := New(Config{ScriptPath: script})
	var se *ScriptError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Equal(t, script, se.File)
	assert.Equal(t, 4, se.Line)
	assert.Equal(t, 14, se.Col)
	assert.Equal(t, "key 1 not in dict", se.Msg)
	assert.Equal(t, script+":4:14: key 1 not in dict", se.Error())
	assert.Contains(t, se.Detail, "in f")
	assert.Contains(t, se.Detail, "in <toplevel>")
}

func TestExamples(t *testing.T) {
	examples := Examples()
	var names []string
	for _, ex := range examples {
		names = append(names, ex.Name)
		assert.NotEmpty(t, ex.Description, ex.Name)
		em, err := New(Config{Example: ex.Name})
		require.NoError(t, err, ex.Name)
		assert.Equal(t, 80, em.Port(), ex.Name)
		assert.Equal(t, ex.Name+"/main.star", em.ScriptName())
	}
	assert.Equal(t, []string{"form", "http_control", "status"}, names)

	em, err := New(Config{})
	require.NoError(t, err)
	assert.Equal(t, DefaultExample+"/main.star", em.ScriptName(), "the default example")
	assert.NotNil(t, em.IO())
}

func TestServe(t *testing.T) {
	io := NewIO()
	var logged []server.RequestLog
	em, err := New(Config{Example: "status", IO: io, Configure: func(s *server.HttpServer) {
		s.OnRequest = func(r server.RequestLog) { logged = append(logged, r) }
	}})
	require.NoError(t, err)
	assert.Same(t, io, em.IO())
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()

	require.NoError(t, io.Set("k1", 50))
	body := bodyOf(t, exchange(t, ln.Addr().String(), []byte("GET / HTTP/1.1\r\n\r\n")))
	assert.Contains(t, body, `"k1": 0.5`, "--set and a dashboard reach the running script")

	ln2, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	assert.EqualError(t, em.Serve(ctx, ln2), "emulator: already serving")
	require.NoError(t, ln2.Close())

	cancel()
	require.NoError(t, <-served)
	_, err = net.Dial("tcp", ln.Addr().String())
	assert.Error(t, err, "Serve closes its listener")
	require.Len(t, logged, 1, "Configure's OnRequest ran")
	assert.Equal(t, 200, logged[0].Status)
}

// A handler stuck in a loop must not keep Serve from ending with its
// context: the thread is cancelled.
func TestServeCancelsRunningHandler(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": `server = HttpServer()
def get(request = None, connection = None):
    while True:
        pass
server.get_handler(get)
`})
	em, err := New(Config{ScriptPath: script, StepLimit: 1 << 62})
	require.NoError(t, err)
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	cancel()
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(exchangeTimeout):
		t.Fatal("Serve did not return after its context ended")
	}
}

func TestWatch(t *testing.T) {
	script := writeScript(t, map[string]string{
		"app.star":  "PAGE = load_file(\"page.txt\")\n" + textScript(`PAGE + " " + str(state.get("n", 0))`) + "state[\"n\"] = 1\n",
		"page.txt":  "first",
		"other.txt": "unused",
	})
	logs := &testnet.SyncBuffer{}
	io := NewIO()
	em, err := New(Config{ScriptPath: script, Watch: true, IO: io, Logger: log.New(logs, "", 0)})
	require.NoError(t, err)
	addr := startServing(t, em)
	get := func() string { return bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))) }

	assert.Equal(t, "first 1", get())
	require.NoError(t, io.Set("b1", 1))

	// A file the script read while loading changed.
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(script), "page.txt"), []byte("second"), 0o644))
	assert.Equal(t, "second 1", get())
	assert.Contains(t, logs.String(), script+": reloaded")

	// A file it never read did not.
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(script), "other.txt"), []byte("x"), 0o644))
	before := strings.Count(logs.String(), "reloaded")
	assert.Equal(t, "second 1", get())
	assert.Equal(t, before, strings.Count(logs.String(), "reloaded"))

	// The script itself changed; the panel survived the reloads.
	require.NoError(t, os.WriteFile(script, []byte(textScript(`"b1=%d" % b1.value()`)), 0o644))
	assert.Equal(t, "b1=1", get())

	// A broken edit keeps the last good script and is reported once.
	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer(\n"), 0o644))
	assert.Equal(t, "b1=1", get())
	assert.Equal(t, "b1=1", get())
	assert.Equal(t, 1, strings.Count(logs.String(), "reload failed"), logs.String())
	assert.Contains(t, logs.String(), "the last good version keeps serving: "+script+":2:1:")

	// A deleted script too.
	require.NoError(t, os.Remove(script))
	assert.Equal(t, "b1=1", get())
	assert.Equal(t, 2, strings.Count(logs.String(), "reload failed"))

	require.NoError(t, os.WriteFile(script, []byte(textScript(`"fixed"`)), 0o644))
	assert.Equal(t, "fixed", get())
}

// Without Watch, edits are not picked up.
func TestNoWatch(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"old"`)})
	em, err := New(Config{ScriptPath: script})
	require.NoError(t, err)
	addr := startServing(t, em)
	require.NoError(t, os.WriteFile(script, []byte(textScript(`"new"`)), 0o644))
	assert.Equal(t, "old", bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))))
}

// A symbolic link inside the folder may not lead out of it.
func TestLoadFileSymlinkEscape(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	require.NoError(t, os.WriteFile(outside, []byte("secret"), 0o644))
	script := writeScript(t, map[string]string{"app.star": textScript(`load_file(request.split(" ")[1][1:])`), "in.txt": "inside"})
	require.NoError(t, os.Symlink(outside, filepath.Join(filepath.Dir(script), "link.txt")))
	require.NoError(t, os.Symlink("in.txt", filepath.Join(filepath.Dir(script), "ok.txt")))
	em, err := New(Config{ScriptPath: script})
	require.NoError(t, err)
	addr := startServing(t, em)

	assert.Equal(t, "inside", bodyOf(t, exchange(t, addr, []byte("GET /ok.txt HTTP/1.1\r\n\r\n"))))
	reply := string(exchange(t, addr, []byte("GET /link.txt HTTP/1.1\r\n\r\n")))
	assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 500 "), reply)
	assert.Contains(t, reply, `load_file: cannot read "link.txt": path escapes from parent`)
	assert.NotContains(t, reply, "secret")
}

// load_file refuses files too large for a Pico's flash.
func TestLoadFileTooLarge(t *testing.T) {
	script := writeScript(t, map[string]string{
		"app.star": "server = HttpServer()\nBIG = load_file(\"big.txt\")\n",
		"big.txt":  strings.Repeat("x", maxLoadFile+1),
	})
	_, err := New(Config{ScriptPath: script})
	assert.EqualError(t, err, script+`:2:16: load_file: "big.txt" is larger than 1048576 bytes`)
}

// The default step limit stops an endless loop in well under the time a
// browser waits. (The loop allocates nothing, so the memory limit does not
// stop it first; range(1 << 40) itself would be refused, see memory_test.go.)
func TestDefaultStepLimit(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"x" if [None for _ in range(1 << 20) for _ in range(1 << 20) if False] else ""`)})
	em, err := New(Config{ScriptPath: script})
	require.NoError(t, err)
	addr := startServing(t, em)
	start := time.Now()
	reply := string(exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n")))
	assert.Contains(t, reply, "step limit of 5000000 exceeded")
	assert.Less(t, time.Since(start), 15*time.Second)
}

// startServing serves em on a loopback listener until the test ends.
func startServing(t *testing.T, em *Emulator) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-served)
	})
	return ln.Addr().String()
}

// The script README.md shows is the one testdata/readme.txtar runs.
func TestReadmeScript(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "```python\n")
	require.True(t, ok, "README.md has a python block")
	script, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	data, err := os.ReadFile(filepath.Join("testdata", "readme.txtar"))
	require.NoError(t, err)
	for _, f := range txtar.Parse(data).Files {
		if f.Name == "app.star" {
			assert.Equal(t, script, string(f.Data))
			return
		}
	}
	t.Fatal("testdata/readme.txtar has no app.star")
}
