package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/europi-http/europi-http/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
	"golang.org/x/tools/txtar"
)

// The fuzz targets of the script API boundary: FuzzScript (here) loads
// arbitrary Starlark sources, FuzzHandlerArgs (fuzz_args_test.go) passes
// arbitrary values to the send_* methods. For any input: no panic, no
// hang, and every request answered with "HTTP/1.0 ..." or closed. Seeds
// live in testdata/fuzz/<target>; run one with
// `go test ./emulator -run '^$' -fuzz '^FuzzScript$' -fuzztime 10m`.

const (
	// fuzzStepLimit is the small step limit fuzzed scripts run with, so an
	// endless loop costs milliseconds.
	fuzzStepLimit = 10_000
	// fuzzDeadline bounds one exchange; a request still unanswered then
	// has hung the loop.
	fuzzDeadline = 10 * time.Second
	// fuzzMemoryLimit is the memory limit fuzzed scripts run with, so a
	// script that grows its heap fails early and cheaply.
	fuzzMemoryLimit = 16 << 20
	// fuzzMaxScriptAlloc bounds the heap one load and two requests of a
	// fuzzed script may allocate.
	fuzzMaxScriptAlloc = 256 << 20
)

// knownBugs are failures already reported to the lead, by a text the panic
// or failure contains. An input that hits one is skipped with the bug's
// description, so fuzzing goes on looking for new ones; remove an entry
// once its bug is fixed and the saved inputs run again. None is open.
var knownBugs = []struct{ text, bug string }{}

// skipKnownBug skips the input if text names a known bug.
func skipKnownBug(t *testing.T, text string) {
	t.Helper()
	for _, k := range knownBugs {
		if strings.Contains(text, k.text) {
			t.Skip(k.bug)
		}
	}
}

// fuzzHeapAllocs returns the bytes allocated on the heap so far; a fuzz
// worker runs one input at a time, so a difference is what it cost.
func fuzzHeapAllocs() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// keptListener is a loopback listener that survives Serve: Serve closes its
// listener when it returns, but opening one per fuzz input would leave
// thousands of ports in TIME_WAIT. Serve ends through the deadline it sets
// on a listener that has one, so forwarding SetDeadline is enough.
type keptListener struct{ *net.TCPListener }

func (keptListener) Close() error { return nil }

// newKeptListener returns a loopback listener that stays open until f ends.
func newKeptListener(f *testing.F) keptListener {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(f, err)
	f.Cleanup(func() { _ = ln.Close() })
	return keptListener{ln.(*net.TCPListener)}
}

// servedLogs hands the server's per-request log entries to the test. The
// server logs a connection after closing it, so the client has its reply
// before the entry exists: wait for it rather than read what is there.
type servedLogs struct{ ch chan server.RequestLog }

func newServedLogs() *servedLogs { return &servedLogs{ch: make(chan server.RequestLog, 16)} }

// add never blocks the server: entries beyond the buffer are dropped, and
// the wait for them fails.
func (l *servedLogs) add(r server.RequestLog) {
	select {
	case l.ch <- r:
	default:
	}
}

// wait returns the next n entries, failing the test if they do not come
// within fuzzDeadline.
func (l *servedLogs) wait(t *testing.T, n int) []server.RequestLog {
	t.Helper()
	timer := time.NewTimer(fuzzDeadline)
	defer timer.Stop()
	out := make([]server.RequestLog, 0, n)
	for len(out) < n {
		select {
		case r := <-l.ch:
			out = append(out, r)
		case <-timer.C:
			t.Fatalf("the server logged %d of %d connections", len(out), n)
		}
	}
	return out
}

// configureFuzz makes a server quiet about silent clients and records its
// request log.
func configureFuzz(logs *servedLogs) func(*server.HttpServer) {
	return func(s *server.HttpServer) {
		s.StallWarning = -1
		s.OnRequest = logs.add
	}
}

// fuzzExchange sends request, half-closes and reads the reply. Whatever the
// script did, the reply is empty or starts like a status line, and the
// server ends the connection (cleanly, or with a reset) within
// fuzzDeadline.
func fuzzExchange(t *testing.T, addr, request string) []byte {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, fuzzDeadline)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(fuzzDeadline)))
	_, err = io.WriteString(c, request)
	require.NoError(t, err)
	_ = c.(*net.TCPConn).CloseWrite()
	var out bytes.Buffer
	_, err = io.Copy(&out, c)
	if err != nil {
		require.ErrorIs(t, err, syscall.ECONNRESET, "the server must end the connection, not stall")
	}
	reply := out.Bytes()
	if len(reply) > 0 {
		n := min(len(reply), len("HTTP/1.0 "))
		require.Equal(t, "HTTP/1.0 "[:n], string(reply[:n]), "%q", reply)
	}
	if len(reply) >= len("HTTP/1.0 200") {
		code, err := strconv.Atoi(string(reply[len("HTTP/1.0 "):][:3]))
		require.NoError(t, err, "%q", reply)
		_, known := server.StatusText(code)
		assert.True(t, known, "status %d is not in upstream's table: %q", code, reply)
	}
	return reply
}

// checkServed fails on a handler panic that the server or the emulator
// recovered: the 500 page went out, but a Go panic happened under the
// script, a bug in the emulator or the interpreter.
func checkServed(t *testing.T, entries []server.RequestLog) {
	t.Helper()
	for _, e := range entries {
		checkNoPanic(t, e.Err)
	}
}

// checkNoPanic fails if err is or wraps a recovered panic.
func checkNoPanic(t *testing.T, err error) {
	t.Helper()
	var p *server.PanicError
	var ep *panicError
	switch {
	case errors.As(err, &p):
		skipKnownBug(t, p.Error())
		t.Fatalf("a handler panicked (the server turned it into a 500 page): %v", p)
	case errors.As(err, &ep):
		skipKnownBug(t, ep.Error())
		t.Fatalf("a Go panic under the script (the emulator recovered it): %v\n%s", ep, ep.stack)
	}
}

// fuzzRequests are what each loaded script is asked.
var fuzzRequests = []string{
	"GET / HTTP/1.1\r\nHost: europi\r\n\r\n",
	"POST /cv HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"cv1\": 2.5, \"cv2\": null}",
}

// writeFuzzFolder gives a fuzzed script the files the examples read with
// load_file, so example seeds load completely.
func writeFuzzFolder(f *testing.F) string {
	dir := f.TempDir()
	err := fs.WalkDir(examplesFS, "examples", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) == exampleMain {
			return err
		}
		data, err := fs.ReadFile(examplesFS, p)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, path.Base(p)), data, 0o644)
		}
		return err
	})
	require.NoError(f, err)
	return filepath.Join(dir, "app.star")
}

// addScriptSeeds adds every example and every testdata/*.txtar script.
func addScriptSeeds(f *testing.F) {
	for _, ex := range Examples() {
		src, err := exampleSource(ex.Name)
		require.NoError(f, err)
		f.Add(string(src.code))
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	require.NoError(f, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		for _, member := range txtar.Parse(data).Files {
			if strings.HasSuffix(member.Name, ".star") {
				f.Add(string(member.Data))
			}
		}
	}
}

// FuzzScript loads an arbitrary source with a small step limit. Loading
// either fails with a *ScriptError that points into the file, or the
// script serves a GET and a POST: each answered or closed in time, no
// handler panic, and Serve ends with its context. Load and requests
// together allocate a bounded amount.
func FuzzScript(f *testing.F) {
	addScriptSeeds(f)
	script := writeFuzzFolder(f)
	ln := newKeptListener(f)
	addr := ln.Addr().String()

	f.Fuzz(func(t *testing.T, src string) {
		require.NoError(t, os.WriteFile(script, []byte(src), 0o644))
		logs := newServedLogs()
		before := fuzzHeapAllocs()
		var em *Emulator
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					skipKnownBug(t, fmt.Sprint(r))
					panic(r)
				}
			}()
			em, err = New(Config{ScriptPath: script, StepLimit: fuzzStepLimit, MemoryLimit: fuzzMemoryLimit, Configure: configureFuzz(logs)})
		}()
		if err != nil {
			checkNoPanic(t, err)
			var se *ScriptError
			require.ErrorAs(t, err, &se, "a script that fails to load gives a *ScriptError")
			assert.Equal(t, script, se.File)
			assert.GreaterOrEqual(t, se.Line, 1)
			assert.GreaterOrEqual(t, se.Col, 1)
			assert.NotEmpty(t, se.Msg)
			checkScriptAlloc(t, before)
			return
		}

		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- em.Serve(ctx, ln) }()
		defer func() {
			cancel()
			select {
			case err := <-served:
				assert.NoError(t, err)
			case <-time.After(fuzzDeadline):
				t.Error("Serve did not return after its context ended")
			}
		}()
		for _, req := range fuzzRequests {
			fuzzExchange(t, addr, req)
		}
		checkServed(t, logs.wait(t, len(fuzzRequests)))
		checkScriptAlloc(t, before)
	})
}

// checkScriptAlloc skips an input that allocated more than
// fuzzMaxScriptAlloc in all. The memory limit bounds how far the heap
// grows, not how much garbage a script makes within its steps, and some
// single operations on values the script holds can outgrow it before
// anything can stop them (README.md, "Memory"): such inputs only cost
// time here.
func checkScriptAlloc(t *testing.T, before uint64) {
	t.Helper()
	if n := fuzzHeapAllocs() - before; n > fuzzMaxScriptAlloc {
		t.Skipf("allocated %d MiB in all; the memory limit bounds the heap's growth, not the garbage made", n>>20)
	}
}
