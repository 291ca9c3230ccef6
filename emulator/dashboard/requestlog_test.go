package dashboard

import (
	"errors"
	"fmt"
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

// The log keeps its own copy: a server reusing its buffers cannot change it.
func TestRequestLogCopiesBytes(t *testing.T) {
	req, resp := []byte("GET /"), []byte("reply")
	r := newRequestLog(0)
	r.add(server.RequestLog{Request: req, Response: resp})
	copy(req, "XXXXX")
	copy(resp, "XXXXX")
	d, _ := r.get(1)
	assert.Equal(t, "GET /", string(d.RequestBytes))
	assert.Equal(t, "reply", string(d.ResponseBytes))
}
