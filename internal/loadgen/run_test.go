package loadgen

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var getRoot = []byte("GET / HTTP/1.1\r\nHost: test\r\n\r\n")

func TestRunCountsOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		serve      func(net.Conn) // nil: nothing listens
		expectBody int64
		timeout    time.Duration
		wantOK     int64
		wantErrors ErrorCounts
		wantStatus map[string]int64
		wantSample string
	}{
		{name: "device response", serve: answer(deviceResponse),
			wantOK: 4, wantStatus: map[string]int64{"200": 4}},
		{name: "header block and body in two writes", serve: answer(deviceResponse[:60], deviceResponse[60:]),
			wantOK: 4, wantStatus: map[string]int64{"200": 4}},
		{name: "expected length matches", serve: answer(deviceResponse), expectBody: int64(len(deviceBody)),
			wantOK: 4, wantStatus: map[string]int64{"200": 4}},
		{name: "refused", serve: nil,
			wantErrors: ErrorCounts{Refused: 4}, wantSample: "refused"},
		{name: "reset before any byte", serve: resetAfter(),
			wantErrors: ErrorCounts{Reset: 4}, wantSample: "reset"},
		{name: "reset after the response, length unknown", serve: resetAfter(deviceResponse),
			wantErrors: ErrorCounts{Reset: 4}, wantSample: "reset"},
		{name: "reset after a response of the expected length", serve: resetAfter(deviceResponse),
			expectBody: int64(len(deviceBody)), wantOK: 4, wantStatus: map[string]int64{"200": 4}},
		{name: "never answers", serve: neverAnswer, timeout: 100 * time.Millisecond,
			wantErrors: ErrorCounts{Timeout: 4}, wantSample: "timeout"},
		{name: "truncated header block", serve: answer("HTTP/1.0 200 OK\r\nContent-type: text/html\r\n"),
			wantErrors: ErrorCounts{ShortBody: 4}, wantSample: "before the blank line"},
		{name: "empty response", serve: answer(),
			wantErrors: ErrorCounts{ShortBody: 4}, wantSample: "empty response"},
		{name: "cut before Content-Length", serve: answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"),
			wantErrors: ErrorCounts{ShortBody: 4}, wantSample: "cut at 3 of 100"},
		{name: "cut before the expected length", serve: answer(deviceResponse), expectBody: 1000,
			wantErrors: ErrorCounts{ShortBody: 4}, wantSample: "of 1000 bytes"},
		{name: "longer than expected", serve: answer(deviceResponse), expectBody: 3,
			wantErrors: ErrorCounts{Other: 4}, wantSample: "more than the 3 expected"},
		{name: "not a status line", serve: answer("hello\r\n\r\nbody"),
			wantOK: 4, wantStatus: map[string]int64{"invalid": 4}},
		{name: "error page status", serve: answer("HTTP/1.0 500 Internal Server Error\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\nx"),
			wantOK: 4, wantStatus: map[string]int64{"500": 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.RefusedAddr(t)
			if tt.serve != nil {
				addr = startRaw(t, tt.serve).addr()
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = testDeadline
			}
			res, err := Run(context.Background(), Config{Addr: addr, Request: getRoot, Connections: 2,
				Requests: 4, Timeout: timeout, ExpectBody: tt.expectBody})
			require.NoError(t, err)
			assert.Equal(t, tt.wantOK, res.OK)
			assert.Equal(t, tt.wantErrors, res.Errors)
			assert.Equal(t, int64(4), res.Requests)
			assert.Zero(t, res.Unfinished)
			if tt.wantStatus == nil {
				tt.wantStatus = map[string]int64{}
			}
			assert.Equal(t, tt.wantStatus, res.Statuses)
			if tt.wantSample != "" {
				var samples []string
				for _, s := range res.ErrorSamples {
					samples = append(samples, s)
				}
				assert.Contains(t, strings.Join(samples, "|"), tt.wantSample)
			}
			if tt.wantOK > 0 {
				assert.Positive(t, res.RequestsPerSec)
				assert.Positive(t, res.Latency.Max)
				assert.LessOrEqual(t, res.Latency.Min, res.Latency.P50)
				assert.LessOrEqual(t, res.Latency.P50, res.Latency.P99)
				assert.LessOrEqual(t, res.Latency.P99, res.Latency.Max)
			} else {
				assert.Zero(t, res.Latency)
			}
		})
	}
}

func TestRunSendsTheRequestBytes(t *testing.T) {
	got := make(chan []byte, 1)
	srv := startRaw(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		got <- buf[:n]
		_, _ = c.Write([]byte(deviceResponse))
	})
	req, err := NewRequest("POST", "dev", "/json", []byte(`{"cv1": 2}`))
	require.NoError(t, err)
	res, err := Run(context.Background(), Config{Addr: srv.addr(), Request: req, Connections: 1, Requests: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.OK)
	assert.Equal(t, string(req), string(<-got))
	assert.Equal(t, int64(len(deviceResponse)), res.Bytes)
}

func TestRunForADuration(t *testing.T) {
	srv := startRaw(t, answer(deviceResponse))
	var mu sync.Mutex
	var calls []Progress
	res, err := Run(context.Background(), Config{Addr: srv.addr(), Request: getRoot, Connections: 4,
		Duration: 200 * time.Millisecond, ProgressEvery: 50 * time.Millisecond,
		Progress: func(p Progress) { mu.Lock(); calls = append(calls, p); mu.Unlock() }})
	require.NoError(t, err)
	assert.Positive(t, res.OK)
	assert.Zero(t, res.Errors.Total(), res.ErrorSamples)
	assert.GreaterOrEqual(t, res.Elapsed, 200*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, calls)
	last := calls[len(calls)-1]
	assert.True(t, last.Final)
	assert.Equal(t, res.OK, last.OK)
	for _, p := range calls[:len(calls)-1] {
		assert.False(t, p.Final)
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	srv := startRaw(t, neverAnswer)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan *Result, 1)
	go func() {
		res, err := Run(ctx, Config{Addr: srv.addr(), Request: getRoot, Connections: 3,
			Duration: time.Hour, Timeout: time.Hour})
		assert.NoError(t, err)
		done <- res
	}()
	for range 3 {
		select {
		case <-srv.accepted:
		case <-time.After(testDeadline):
			t.Fatal("the run never connected")
		}
	}
	cancel()
	select {
	case res := <-done:
		assert.Equal(t, int64(3), res.Unfinished)
		assert.Zero(t, res.Requests)
	case <-time.After(testDeadline):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	good := Config{Addr: "127.0.0.1:1", Request: getRoot, Connections: 1, Requests: 1}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no address", func(c *Config) { c.Addr = "" }, "no address"},
		{"no request", func(c *Config) { c.Request = nil }, "request is empty"},
		{"huge request", func(c *Config) { c.Request = make([]byte, MaxRequestBytes+1) }, "limit"},
		{"zero connections", func(c *Config) { c.Connections = 0 }, "between 1 and"},
		{"too many connections", func(c *Config) { c.Connections = MaxConnections + 1 }, "between 1 and"},
		{"unbounded", func(c *Config) { c.Requests = 0 }, "must end by itself"},
		{"both bounds", func(c *Config) { c.Duration = time.Second }, "not both"},
		{"negative duration", func(c *Config) { c.Requests, c.Duration = 0, -time.Second }, "negative duration"},
		{"negative count", func(c *Config) { c.Requests = -1 }, "negative request count"},
		{"negative timeout", func(c *Config) { c.Timeout = -1 }, "negative timeout"},
		{"negative progress", func(c *Config) { c.ProgressEvery = -1 }, "negative progress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			res, err := Run(context.Background(), cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, res)
		})
	}
}
