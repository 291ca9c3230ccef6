package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files (go test ./conformance/clients -update).
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fakeClient answers every request the same way, so reports are stable.
type fakeClient struct {
	name     string
	startErr error
	outcome  Outcome
	closed   bool
	calls    int
}

func (f *fakeClient) Name() string { return f.name }

func (f *fakeClient) Start(context.Context) (string, error) { return f.name + " 1.0", f.startErr }

func (f *fakeClient) Do(context.Context, string, Request, time.Duration) Outcome {
	f.calls++
	o := f.outcome
	o.Client, o.Duration = f.name, time.Millisecond
	return o
}

func (f *fakeClient) Close() { f.closed = true }

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./conformance/clients -update to write it")
	assert.Equal(t, string(want), string(got))
}

// fakeReport runs two requests through a strict, a lenient and a missing
// client against a device giving upstream's answer.
func fakeReport(t *testing.T) (Report, []*fakeClient) {
	t.Helper()
	addr, _ := fakeDevice(t, upstreamText)
	strict := &fakeClient{name: "strict", outcome: Outcome{Verdict: VerdictRefused, Reason: "malformed MIME header", Error: "malformed MIME header: missing colon"}}
	lenient := &fakeClient{name: "lenient", outcome: Outcome{Verdict: VerdictOK, Status: 200,
		Kept: []Header{{"Content-type", "text/plain"}}, Body: []byte("plain text\n")}}
	missing := &fakeClient{name: "missing", startErr: errors.New("not on PATH")}
	var rows []string
	r := Runner{Clients: []Client{strict, lenient, missing}, OnRow: func(row Row) { rows = append(rows, row.Request.ID) }}
	reqs := []Request{
		{ID: "get/text", Method: "GET", Path: "/text", Raw: []byte("GET /text HTTP/1.0\r\n\r\n")},
		{ID: "post/json", Method: "POST", Path: "/json", Body: []byte("{}"), Raw: []byte("POST /json HTTP/1.0\r\n\r\n{}")},
	}
	rep := r.Run(context.Background(), addr, reqs)
	assert.Equal(t, []string{"get/text", "post/json"}, rows)
	rep.Target, rep.Duration = "127.0.0.1:8080", 0
	return rep, []*fakeClient{strict, lenient, missing}
}

func TestRunnerReportsEveryClient(t *testing.T) {
	rep, fakes := fakeReport(t)
	assert.Equal(t, []ClientInfo{{Name: "strict", Version: "strict 1.0"}, {Name: "lenient", Version: "lenient 1.0"},
		{Name: "missing", Missing: "not on PATH"}}, rep.Clients)
	require.Len(t, rep.Rows, 2)
	row := rep.Rows[0]
	assert.Equal(t, "HTTP/1.0 200 OK", row.Device.Status)
	assert.Equal(t, []string{"Content-type: text/plain", "charset=utf-8", "X-One=1"}, row.Device.Header)
	assert.Equal(t, "ok 200, dropped lines: charset=utf-8, X-One=1", row.Outcomes[1].Cell())
	assert.Equal(t, Outcome{Client: "missing", Verdict: VerdictMissing, Reason: "not on PATH"}, row.Outcomes[2])
	assert.Equal(t, 2, fakes[0].calls)
	assert.Equal(t, 0, fakes[2].calls, "a missing client is not run")
	assert.True(t, fakes[0].closed)
	assert.False(t, fakes[2].closed, "a client that did not start has nothing to close")
}

func TestRunnerStopsWithItsContext(t *testing.T) {
	addr, _ := fakeDevice(t, upstreamText)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := (&Runner{Clients: []Client{&fakeClient{name: "x"}}}).Run(ctx, addr, []Request{{ID: "get/text"}})
	assert.Empty(t, rep.Rows)
}

func TestWriteTable(t *testing.T) {
	rep, _ := fakeReport(t)
	var b bytes.Buffer
	require.NoError(t, WriteTable(&b, rep))
	golden(t, "table.golden", b.Bytes())
}

func TestWriteDetails(t *testing.T) {
	rep, _ := fakeReport(t)
	var b bytes.Buffer
	WriteDetails(&b, rep)
	golden(t, "details.golden", b.Bytes())
}

func TestWriteJSON(t *testing.T) {
	rep, _ := fakeReport(t)
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, rep))
	golden(t, "report.golden.json", b.Bytes())
	var back map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, "127.0.0.1:8080", back["target"])
}

func TestDeviceExchange(t *testing.T) {
	upstream, _ := fakeDevice(t, upstreamText)
	silent, _ := fakeDevice(t, "")
	d := exchange(context.Background(), upstream, []byte("GET /text HTTP/1.0\r\n\r\n"), 5*time.Second)
	assert.Equal(t, "fin", d.End)
	assert.Equal(t, "200 text/plain", d.Cell())
	assert.Equal(t, "plain text\n", string(d.Body))
	d = exchange(context.Background(), silent, []byte("GET /text HTTP/1.0\r\n\r\n"), 5*time.Second)
	assert.Equal(t, "nothing (fin)", d.Cell())
	gone := testnet.RefusedAddr(t)
	d = exchange(context.Background(), gone, []byte("GET /text HTTP/1.0\r\n\r\n"), time.Second)
	assert.Equal(t, "error", d.End)
	assert.Contains(t, d.Error, "refused")
}

func TestJudge(t *testing.T) {
	d := Device{Status: "HTTP/1.0 200 OK", Header: []string{"Content-type: text/json", "charset=utf-8"}, Body: []byte("{\"u\": \"\u00fc\"}")}
	tests := []struct {
		name string
		o    Outcome
		want string
	}{
		{"same answer", Outcome{Verdict: VerdictOK, Status: 200, Kept: []Header{{"Content-Type", "text/json"}}, Body: d.Body},
			"ok 200, dropped lines: charset=utf-8"},
		{"another status", Outcome{Verdict: VerdictOK, Status: 400, Kept: []Header{{"Content-Type", "text/json"}}, Body: d.Body},
			"ok 400 (raw request: 200), dropped lines: charset=utf-8"},
		{"its own dropped lines stand", Outcome{Verdict: VerdictOK, Status: 200, Dropped: []string{"x"}, Body: d.Body},
			"ok 200, dropped lines: x"},
		{"read as another charset", Outcome{Verdict: VerdictOK, Status: 200, Kept: []Header{{"Content-Type", "text/json"}, {"charset=utf-8", ""}}, Charset: "windows-1252", Body: d.Body},
			"ok 200, text garbled (read as windows-1252)"},
		{"refusals are left alone", Outcome{Verdict: VerdictRefused, Reason: "malformed MIME header"}, "refused: malformed MIME header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			judge(&tt.o, d)
			assert.Equal(t, tt.want, tt.o.Cell())
		})
	}
	assert.Equal(t, 0, Device{Status: "garbage"}.StatusCode())
	assert.Equal(t, 0, Device{Status: "HTTP/1.0 abc"}.StatusCode())
}
