package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/conformance/recorder"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

func TestRecordFlags(t *testing.T) {
	def := func(change func(*RecordOptions)) RecordOptions {
		o := RecordOptions{Listen: defaultRecordListen, Dir: "rec", MaxBytes: recorder.DefaultMaxBytes,
			Idle: recorder.DefaultIdle, Gap: recorder.DefaultGap}
		if change != nil {
			change(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    RecordOptions
		wantErr string
	}{
		{"defaults", []string{"--out", "rec"}, def(nil), ""},
		{"everything", []string{"--out", "rec", "--upstream", "192.168.4.1:80", "--listen", "127.0.0.1:0", "--force",
			"--max-bytes", "4096", "--idle", "2s", "--gap", "1ms"},
			def(func(o *RecordOptions) {
				o.Upstream, o.upstreamAddr, o.Listen, o.Force = "192.168.4.1:80", "192.168.4.1:80", "127.0.0.1:0", true
				o.MaxBytes, o.Idle, o.Gap = 4096, 2*time.Second, time.Millisecond
			}), ""},
		{"upstream as a URL", []string{"--out", "rec", "--upstream", "http://europi.local"},
			def(func(o *RecordOptions) { o.Upstream, o.upstreamAddr = "http://europi.local", "europi.local:80" }), ""},
		{"no out", nil, RecordOptions{}, "--out: a folder for the scenarios is required"},
		{"zero cap", []string{"--out", "rec", "--max-bytes", "0"}, RecordOptions{}, "--max-bytes 0: must be positive"},
		{"zero idle", []string{"--out", "rec", "--idle", "0s"}, RecordOptions{}, "--idle 0s: must be positive"},
		{"negative gap", []string{"--out", "rec", "--gap", "-1ms"}, RecordOptions{}, "--gap -1ms"},
		{"bad listen", []string{"--out", "rec", "--listen", "9000"}, RecordOptions{}, "--listen \"9000\""},
		{"upstream with a path", []string{"--out", "rec", "--upstream", "http://10.0.0.5/x"}, RecordOptions{}, "nothing after it"},
		{"upstream with labels", []string{"--out", "rec", "--upstream", "pico-w=10.0.0.5:80"}, RecordOptions{}, "takes no labels"},
		{"positional args", []string{"--out", "rec", "extra"}, RecordOptions{}, "unknown command"},
		{"an example with inputs", []string{"--out", "rec", "--example", "http_control", "--set", "k1=40", "--set", "b1=1"},
			def(func(o *RecordOptions) { o.Example, o.Sets = "http_control", []string{"k1=40", "b1=1"} }), ""},
		{"a script", []string{"--out", "rec", "--script", "app.star"}, def(func(o *RecordOptions) { o.Script = "app.star" }), ""},
		{"script and example", []string{"--out", "rec", "--script", "app.star", "--example", "status"}, RecordOptions{}, "[example script] were all set"},
		{"a device runs its own script", []string{"--out", "rec", "--upstream", "10.0.0.5:80", "--example", "status"}, RecordOptions{}, "[example upstream] were all set"},
		{"a device has its own panel", []string{"--out", "rec", "--upstream", "10.0.0.5:80", "--set", "k1=1"}, RecordOptions{}, "[set upstream] were all set"},
		{"bad set", []string{"--out", "rec", "--set", "k1"}, RecordOptions{}, `--set "k1": want NAME=VALUE`},
		{"set out of range", []string{"--out", "rec", "--set", "k1=140"}, RecordOptions{}, "--set: input k1: 140 is outside 0..100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdRecord, tt.args, tt.want, tt.wantErr)
		})
	}
}

// recording is a running `record` command.
type recording struct {
	addr string
	out  *testnet.SyncBuffer
	stop func() error
}

// startRecord runs recordOn into dir, relaying to upstream ("" for the
// built-in emulator), until stop; change, if given, adjusts the options.
func startRecord(t *testing.T, dir, upstream string, change ...func(*RecordOptions)) *recording {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	out := &testnet.SyncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	o := &RecordOptions{Upstream: upstream, upstreamAddr: upstream, Dir: dir, MaxBytes: recorder.DefaultMaxBytes,
		Idle: 2 * time.Second, Gap: recorder.DefaultGap, Out: out, ErrOut: out}
	for _, c := range change {
		c(o)
	}
	done := make(chan error, 1)
	go func() { done <- recordOn(ctx, o, ln) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return &recording{addr: ln.Addr().String(), out: out, stop: stop}
}

// waitLines waits until the recorder has printed n summary lines.
func (r *recording) waitLines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(r.out.String(), "\n#") < n {
		require.True(t, time.Now().Before(deadline), "waiting for %d summary lines:\n%s", n, r.out.String())
		// Sessions end on the relay's goroutines; poll what they printed.
		timer := time.NewTimer(5 * time.Millisecond)
		<-timer.C
	}
}

// client is one connection through the relay.
func client(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(5*time.Second)))
	return c.(*net.TCPConn)
}

// exchange sends the first segment, reads the answer to its end, sends
// the other segments (to a server that has closed: they are lost) and
// closes; it returns the answer.
func exchange(t *testing.T, addr string, segments ...string) []byte {
	t.Helper()
	c := client(t, addr)
	_, err := c.Write([]byte(segments[0]))
	require.NoError(t, err)
	var resp bytes.Buffer
	_, _ = io.Copy(&resp, c)
	for _, seg := range segments[1:] {
		_, _ = c.Write([]byte(seg)) // the server has closed; this may fail
	}
	require.NoError(t, c.Close())
	return resp.Bytes()
}

// scenarioFiles lists the folder's files.
func scenarioFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestRecordOnTheEmulatorReplaysWithoutDifferences records a session
// through the relay against the emulator (a split-segment POST and
// early-close connections among it) and replays the files with conform on
// a fresh emulator: every scenario must pass.
func TestRecordOnTheEmulatorReplaysWithoutDifferences(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	rec := startRecord(t, dir, "")

	resp := exchange(t, rec.addr, "GET /json HTTP/1.1\r\nHost: europi\r\n\r\n")
	assert.Contains(t, string(resp), "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n")
	exchange(t, rec.addr, "GET /headers HTTP/1.0\r\n\r\n")
	exchange(t, rec.addr, "GET /teapot HTTP/1.0\r\n\r\n")
	// The body comes in a later segment, after the answer: it is lost.
	resp = exchange(t, rec.addr, "POST /json HTTP/1.0\r\nContent-Length: 2\r\n\r\n", "{}")
	assert.Contains(t, string(resp), "HTTP/1.0 400 Bad Request")
	exchange(t, rec.addr, "POST /json HTTP/1.0\r\n\r\n{\"cv1\": 2.5}")

	// Early closes: a request and a close at once, a connect and close,
	// a connect and reset.
	c := client(t, rec.addr)
	_, err := c.Write([]byte("GET /big/20000 HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, client(t, rec.addr).Close())
	c = client(t, rec.addr)
	require.NoError(t, c.SetLinger(0))
	require.NoError(t, c.Close())
	// A request over 1024 bytes: the close is a reset.
	exchange(t, rec.addr, "GET /echo HTTP/1.0\r\nX-Pad: "+strings.Repeat("a", 1100)+"\r\n\r\n")

	rec.waitLines(t, 9)
	require.NoError(t, rec.stop())
	out := rec.out.String()
	assert.Contains(t, out, "upstream: the emulator with the conformance fixture on 127.0.0.1:")
	assert.Contains(t, out, "9 connection(s), 9 scenario file(s) in "+dir)
	files := scenarioFiles(t, dir)
	require.Len(t, files, 9, out)
	for _, f := range files {
		assert.Regexp(t, `^\d{4}-[a-z0-9-]+\.scenario$`, f)
	}
	assert.Contains(t, files, "0004-post-json.scenario")
	split, err := os.ReadFile(filepath.Join(dir, "0004-post-json.scenario"))
	require.NoError(t, err)
	assert.Contains(t, string(split), "[steps]\nsend \"POST /json HTTP/1.0\\r\\nContent-Length: 2\\r\\n\\r\\n\"\nawait\nsend may-fail \"{}\"\n")

	// Replay on a fresh emulator, as `conform --scenarios DIR` does.
	var replay bytes.Buffer
	o := conformOpts(dir, &replay)
	require.NoError(t, runConform(t.Context(), o), replay.String())
	assert.Contains(t, replay.String(), "9 scenarios: 9 passed, 0 expected differences, 0 failed")
}

// TestRecordedReplayThatDiffersSaysWhere records from a device that ends
// its text differently and replays on the emulator: the report names the
// clause and the offset.
func TestRecordedReplayThatDiffersSaysWhere(t *testing.T) {
	device := testnet.Serve(t, testnet.Answer("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nplain text from EuroPi!\n"))
	dir := t.TempDir()
	rec := startRecord(t, dir, device)
	exchange(t, rec.addr, "GET /text HTTP/1.0\r\n\r\n")
	rec.waitLines(t, 1)
	require.NoError(t, rec.stop())
	recorded, err := os.ReadFile(filepath.Join(dir, "0001-get-text.scenario"))
	require.NoError(t, err)
	assert.NotContains(t, string(recorded), "[inputs]", "a device's panel cannot be read")

	var replay bytes.Buffer
	err = runConform(t.Context(), conformOpts(dir, &replay))
	require.Error(t, err)
	assert.Contains(t, replay.String(), "FAIL  0001-get-text")
	assert.Contains(t, replay.String(), "first difference at offset 22")
}

// TestRecordInterruptedLeavesWholeFiles stops the recorder with a
// connection open: that one is not written, the finished ones are, and
// nothing else is in the folder. A second run adds after the first.
func TestRecordInterruptedLeavesWholeFiles(t *testing.T) {
	held := make(chan struct{}, 1)
	n := 0
	device := testnet.Serve(t, func(c *net.TCPConn) {
		n++
		if n != 2 {
			testnet.Answer(scenariotest.TextAnswer)(c)
			return
		}
		// The second connection stays open until the relay gives up on it.
		held <- struct{}{}
		_, _ = io.Copy(io.Discard, c)
	})
	dir := t.TempDir()
	rec := startRecord(t, dir, device)
	exchange(t, rec.addr, "GET /text HTTP/1.0\r\n\r\n")
	rec.waitLines(t, 1)
	_ = client(t, rec.addr)
	<-held
	require.NoError(t, rec.stop())
	assert.Contains(t, rec.out.String(), "not recorded: interrupted")
	assert.Contains(t, rec.out.String(), "2 connection(s), 1 scenario file(s)")
	assert.Equal(t, []string{"0001-get-text.scenario"}, scenarioFiles(t, dir))

	// A second run into the same folder adds after the first.
	rec = startRecord(t, dir, device)
	exchange(t, rec.addr, "GET /text HTTP/1.0\r\n\r\n")
	rec.waitLines(t, 1)
	require.NoError(t, rec.stop())
	assert.Contains(t, rec.out.String(), "(from #0002)")
	assert.Equal(t, []string{"0001-get-text.scenario", "0002-get-text.scenario"}, scenarioFiles(t, dir))
	all, err := scenario.LoadDir(dir)
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestRecordBadOutFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	err := runRecord(t.Context(), &RecordOptions{Dir: file, upstreamAddr: "127.0.0.1:1", Listen: "127.0.0.1:0",
		Out: io.Discard, ErrOut: io.Discard})
	assert.ErrorContains(t, err, "output folder")
}
