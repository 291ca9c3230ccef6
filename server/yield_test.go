package server

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestYielderYieldsOncePerInterval(t *testing.T) {
	base := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	e := yieldEvery
	tests := []struct {
		name   string
		served []time.Duration // when connections were served, after base
		yields int
	}{
		{"the first connection yields", []time.Duration{0}, 1},
		{"a busy interval yields once", []time.Duration{0, e / 10, e / 2, e - time.Microsecond}, 1},
		{"an interval later yields again", []time.Duration{0, e / 2, e, 3 * e / 2, 2 * e}, 3},
		{"connections far apart each yield", []time.Duration{0, 5 * e, time.Minute}, 3},
		{"a clock stepped back does not yield", []time.Duration{time.Minute, 0}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			y := yielder{yield: func() { n++ }}
			for _, d := range tt.served {
				y.after(base.Add(d))
			}
			assert.Equal(t, tt.yields, n)
		})
	}
}

func TestServeYields(t *testing.T) {
	// Serve must call the yielder: a loop that never yields is the one
	// the runtime's monitor punishes (see yielder). Its first connection
	// always yields.
	s, _ := newTestServer(t)
	var yields atomic.Int32
	s.yielder.yield = func() { yields.Add(1) }
	serveInBackground(t, s)
	ex := rawExchange(t, s.Addr().String(), []byte("GET / HTTP/1.0\r\n\r\n"))
	require.NotEmpty(t, ex.Response)
	require.Eventually(t, func() bool { return yields.Load() >= 1 }, testDeadline, time.Millisecond,
		"Serve served a connection without yielding")
}

func TestCheckRequestsYields(t *testing.T) {
	// A script's main loop that calls check_requests without sleeping
	// never parks either.
	s, _ := newTestServer(t)
	yields := 0
	s.yielder.yield = func() { yields++ }
	require.NoError(t, s.CheckRequests()) // nothing pending
	require.NoError(t, s.CheckRequests())
	assert.Equal(t, 1, yields, "the second call is within yieldEvery of the first")
}
