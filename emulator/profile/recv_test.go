package profile

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/server"
)

const getRoot = "GET / HTTP/1.1\r\nHost: europi\r\n\r\n"

// farTick keeps parked data parked for the whole test.
var farTick = Params{Tick: time.Hour}

func TestAcceptTimeout0(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		without []string
		params  Params
		send    string
		// want: reset and lost (the device), or a 200 response.
		wantLost  bool
		wantReset bool
		wantWait  bool // a park-until-tick wait was reported
		wantErrno error
		wantWhy   string
	}{
		{name: "request parked before accept is lost with a reset", profile: PicoW, params: farTick, send: getRoot,
			wantLost: true, wantReset: true, wantErrno: syscall.EAGAIN, wantWhy: "parked the 32 bytes"},
		{name: "nothing sent yet is lost with a clean close", profile: PicoW, params: farTick,
			wantLost: true, wantErrno: syscall.EAGAIN, wantWhy: "nothing had arrived"},
		{name: "blocking socket waits for the tick", profile: PicoW, without: []string{RuleAcceptTimeout0},
			params: Params{Tick: 20 * time.Millisecond}, send: getRoot, wantWait: true},
		{name: "host behaviour without both", profile: PicoW, without: []string{RuleAcceptTimeout0, RuleParkUntilTick},
			params: farTick, send: getRoot},
		{name: "patched firmware waits for the tick", profile: PicoWPatched,
			params: Params{Tick: 20 * time.Millisecond}, send: getRoot, wantWait: true},
		{name: "patched firmware times out a silent client", profile: PicoWPatched,
			params:   Params{Tick: 20 * time.Millisecond, RecvTimeout: 50 * time.Millisecond},
			wantLost: true, wantErrno: syscall.ETIMEDOUT, wantWhy: "timed out after 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, tt.without, tt.params))
			c := h.dial()
			if tt.send != "" {
				send(t, c, tt.send)
			}
			h.waitQueued(1, len(tt.send))
			log := h.check(1)[0]
			got, err := readAll(c)

			if !tt.wantLost {
				require.NoError(t, err)
				assert.Contains(t, string(got), "HTTP/1.0 200 OK\r\n")
				assert.Contains(t, string(got), "read 32 bytes")
				assert.Empty(t, log.Outcome)
				assert.Empty(t, h.eventsFor(RuleAcceptTimeout0))
				assert.Equal(t, tt.wantWait, len(h.eventsFor(RuleParkUntilTick)) == 1)
				return
			}
			assert.Empty(t, got, "the device sends no response")
			assert.Equal(t, tt.wantReset, isReset(err), "reset: %v", err)
			assert.Equal(t, server.OutcomeReadFailed, log.Outcome)
			var re *RuleError
			require.True(t, errors.As(log.Err, &re), "log error %v names no rule", log.Err)
			assert.Equal(t, RuleAcceptTimeout0, re.Rule)
			assert.ErrorIs(t, log.Err, tt.wantErrno)
			ev := h.waitEvent(RuleAcceptTimeout0, KindLost)
			assert.True(t, ev.Lost())
			assert.Contains(t, ev.Detail, tt.wantWhy)
			if tt.send != "" {
				assert.Equal(t, "GET / HTTP/1.1", ev.Request)
			}
		})
	}
}

func TestParkedDataHandedOverByNextSegment(t *testing.T) {
	h := newHarness(t, lookup(t, PicoW, []string{RuleAcceptTimeout0}, farTick))
	c := h.dial()
	send(t, c, "GET /first HTTP/1.1\r\n")
	h.waitQueued(1, 21)
	h.serve()
	// Once the server has accepted, its blocking recv waits: the tick is an
	// hour away. The next segment makes lwIP hand the parked one over.
	h.waitState("the server accepts", func(l *listener) bool { return len(l.pending) == 0 && l.open == 1 })
	send(t, c, "\r\n")

	log := h.nextLog()
	assert.Equal(t, "GET /first HTTP/1.1\r\n", string(log.Request), "one segment, the parked one")
	got, err := readAll(c)
	if err == nil {
		assert.Contains(t, string(got), "read 21 bytes")
	}
	ev := h.waitEvent(RuleParkUntilTick, KindWait)
	assert.Contains(t, ev.Detail, "with the next segment")
}

func TestOneSegmentRead(t *testing.T) {
	request := paddedGet(1000)
	tests := []struct {
		name      string
		profile   string
		without   []string
		wantRead  int
		wantKind  Kind // the one-segment-read event, "" for none
		wantReset bool
	}{
		{name: "device reads one 800-byte segment", profile: PicoW, without: []string{RuleAcceptTimeout0, RuleParkUntilTick},
			wantRead: 800, wantKind: KindCutRequest, wantReset: true},
		{name: "host behaviour without the rule", profile: PicoW, without: []string{RuleAcceptTimeout0, RuleParkUntilTick, RuleOneSegmentRead},
			wantRead: 1000},
		{name: "patched firmware reads until complete", profile: PicoWPatched, without: []string{RuleParkUntilTick},
			wantRead: 1000, wantKind: KindFixed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, tt.without, Params{}))
			c := h.dial()
			send(t, c, request)
			h.waitQueued(1, len(request))
			log := h.check(1)[0]
			assert.Len(t, log.Request, tt.wantRead)
			assert.Equal(t, request[:tt.wantRead], string(log.Request))
			got, err := readAll(c)
			assert.Equal(t, tt.wantReset, isReset(err), "reset: %v", err)
			if err == nil {
				assert.Contains(t, string(got), "HTTP/1.0 200 OK\r\n")
			}
			evs := h.eventsFor(RuleOneSegmentRead)
			if tt.wantKind == "" {
				assert.Empty(t, evs)
				return
			}
			require.Len(t, evs, 1)
			assert.Equal(t, tt.wantKind, evs[0].Kind)
			assert.Equal(t, "GET /pad HTTP/1.1", evs[0].Request)
		})
	}
}

func TestPatchedReadWaitsForBody(t *testing.T) {
	head := "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
	tests := []struct {
		name    string
		profile string
		want    string
	}{
		{name: "device sees the first segment only", profile: PicoW, want: head},
		{name: "patched firmware waits for Content-Length bytes", profile: PicoWPatched, want: head + "hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, []string{RuleAcceptTimeout0, RuleParkUntilTick}, Params{}))
			c := h.dial()
			send(t, c, head)
			h.waitQueued(1, len(head))
			h.serve()
			h.waitState("the server accepts", func(l *listener) bool { return len(l.pending) == 0 })
			_, _ = c.Write([]byte("hello")) // the device may have closed already
			log := h.nextLog()
			assert.Equal(t, tt.want, string(log.Request))
		})
	}
}

func TestResetBeforeAcceptIsDropped(t *testing.T) {
	h := newHarness(t, lookup(t, PicoW, nil, farTick))
	c := h.dial()
	send(t, c, getRoot)
	require.NoError(t, c.(interface{ SetLinger(int) error }).SetLinger(0))
	require.NoError(t, c.Close())
	h.waitState("the reset reaches the queued connection", func(l *listener) bool {
		return len(l.pending) == 1 && l.pending[0].end != nil
	})
	require.NoError(t, h.srv.CheckRequests())
	assert.Empty(t, h.logs, "lwIP drops a connection reset before accept")
	h.waitState("the connection is freed", func(l *listener) bool { return l.open == 0 })
}
