package dashboard

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/server"
)

func TestRequestLogRing(t *testing.T) {
	r := newRequestLog(3)
	for i := range 5 {
		r.add(server.RequestLog{Path: fmt.Sprintf("/%d", i)})
	}
	var ids []uint64
	var paths []string
	for _, e := range r.after(0) {
		ids, paths = append(ids, e.ID), append(paths, e.Path)
	}
	assert.Equal(t, []uint64{3, 4, 5}, ids)
	assert.Equal(t, []string{"/2", "/3", "/4"}, paths)
	assert.Len(t, r.after(4), 1)
	_, ok := r.get(2)
	assert.False(t, ok, "dropped from the ring")
	d, ok := r.get(5)
	require.True(t, ok)
	assert.Equal(t, "/4", d.Path)
}

func TestRequestLogEntry(t *testing.T) {
	ruleErr := fmt.Errorf("recv: %w", &profile.RuleError{Rule: "accept-timeout-0", Op: "recv", Err: syscall.EAGAIN})
	at := time.Date(2026, 11, 23, 10, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		in   server.RequestLog
		want LogEntry
		cut  bool
	}{
		{"served", server.RequestLog{Time: at, Peer: "127.0.0.1:5000", Method: "GET", Path: "/", Status: 200,
			Bytes: 3, Duration: 1500 * time.Microsecond, Request: []byte("GET /"), Response: []byte("abc")},
			LogEntry{ID: 1, Time: at, Peer: "127.0.0.1:5000", Method: "GET", Path: "/", Status: 200, Bytes: 3, DurationMS: 1.5}, false},
		{"a device rule", server.RequestLog{Time: at, Method: "-", Path: "-", Outcome: server.OutcomeReadFailed, Err: ruleErr},
			LogEntry{ID: 1, Time: at, Method: "-", Path: "-", Outcome: "read failed",
				Error: "recv: device rule accept-timeout-0: resource temporarily unavailable", Rule: "accept-timeout-0"}, false},
		{"another error", server.RequestLog{Time: at, Status: 500, Err: errors.New("boom")},
			LogEntry{ID: 1, Time: at, Status: 500, Error: "boom"}, false},
		{"a long response, cut", server.RequestLog{Time: at, Bytes: 10, Response: []byte("12345")},
			LogEntry{ID: 1, Time: at, Bytes: 10}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequestLog(0)
			r.add(tt.in)
			d, ok := r.get(1)
			require.True(t, ok)
			assert.Equal(t, tt.want, d.LogEntry)
			assert.Equal(t, tt.cut, d.ResponseCut)
			assert.Equal(t, Escape(tt.in.Response), d.Response)
		})
	}
}

// The server hands its buffers over: the log keeps them as they are,
// without a copy. Bytes over the caps, or in a larger buffer, are kept as
// a cut copy, so an entry never pins more than the caps.
func TestRequestLogKeepsBytes(t *testing.T) {
	big := make([]byte, 3*server.MaxLoggedBytes)
	tests := []struct {
		name      string
		req, resp []byte
		same      bool // kept without a copy
		wantLen   int
	}{
		{"within the caps", []byte("GET /"), []byte("reply"), true, 5},
		{"a response over the cap", []byte("GET /"), big, false, server.MaxLoggedBytes},
		{"a short response in a large buffer", []byte("GET /"), big[:5], false, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequestLog(0)
			r.add(server.RequestLog{Request: tt.req, Response: tt.resp, Bytes: len(tt.resp)})
			kept := r.ring[0].resp
			assert.Len(t, kept, tt.wantLen)
			assert.Equal(t, tt.same, &kept[0] == &tt.resp[0])
			assert.LessOrEqual(t, cap(kept), server.MaxLoggedBytes)
			// The API gets a copy: the ring's bytes go back to the server
			// when their entry leaves it.
			d, ok := r.get(1)
			require.True(t, ok)
			assert.Equal(t, kept, d.ResponseBytes)
			assert.NotSame(t, &kept[0], &d.ResponseBytes[0])
			assert.Equal(t, len(tt.resp) > tt.wantLen, d.ResponseCut)
		})
	}
}

// A relay adds an entry first and its raw bytes when it has them.
func TestRequestLogAttachBytes(t *testing.T) {
	d := New(nil, Options{LogSize: 2})
	id := d.Add(server.RequestLog{Method: "GET", Path: "/", Bytes: 5})
	require.True(t, d.AttachBytes(id, []byte("GET / HTTP/1.0\r\n\r\n"), []byte("hello")))
	got, ok := d.log.get(id)
	require.True(t, ok)
	assert.Equal(t, "GET / HTTP/1.0\\r\\n\n\\r\\n\n", got.Request)
	assert.Equal(t, "hello", string(got.ResponseBytes))
	// Attaching the same bytes again keeps them (nothing is recycled
	// from under the entry).
	req := got.RequestBytes
	require.True(t, d.AttachBytes(id, req, req))
	again, _ := d.log.get(id)
	assert.Equal(t, req, again.ResponseBytes)
	d.Add(server.RequestLog{})
	d.Add(server.RequestLog{})
	assert.False(t, d.AttachBytes(id, nil, nil), "the entry left the ring")
	assert.False(t, d.AttachBytes(99, nil, nil), "no such entry")
}

// The ring's memory bound, maxEntryBytes an entry, holds for entries as
// large as anyone can record, with their JSON made.
func TestRequestLogMemoryBound(t *testing.T) {
	const size = 64
	huge := strings.Repeat("\x01", 1<<20) // JSON escapes each byte as \u0001
	heap := func() uint64 {
		// Twice: buffers recycled to the server's pools last until the
		// second collection.
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	r := newRequestLog(size)
	for range 2 * size {
		// Fresh oversized buffers each time: the log must not pin them.
		r.add(server.RequestLog{Peer: huge, Method: huge, Path: huge, Err: errors.New(huge),
			Request: make([]byte, 4*server.RequestLimit), Response: make([]byte, 4*server.MaxLoggedBytes),
			Bytes: 4 * server.MaxLoggedBytes})
	}
	_, last := r.afterJSON(0)
	require.Equal(t, uint64(2*size), last)
	grown := heap() - before
	t.Logf("%d entries hold %d bytes (%d each; bound %d each)", size, grown, grown/size, maxEntryBytes)
	assert.LessOrEqual(t, grown, uint64(size*maxEntryBytes))
	runtime.KeepAlive(r)
	runtime.KeepAlive(huge)
}
