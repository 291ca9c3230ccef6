package profile

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/server"
)

// header is the header block upstream sends for a text/plain 200.
const header = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n"

// quickRetry shortens lwip_tcp_send's 10 s of retries, leaving lwIP's
// timer far off.
var quickRetry = Params{Tick: time.Hour, SendRetry: 20 * time.Millisecond}

func TestSendBuffer(t *testing.T) {
	tests := []struct {
		name      string
		profile   string
		without   []string
		params    Params
		path      string
		wantBody  int    // bytes of body after the header block
		wantTail  string // what follows the body
		wantKind  Kind
		wantErrno error // the send error the server saw, nil for none
	}{
		{name: "device sends 5600 bytes whole", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: quickRetry, path: "/n/5600", wantBody: 5600},
		{name: "device raises ENOMEM on a 6400-byte body after the header block", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: quickRetry, path: "/n/6400", wantKind: KindCutResponse, wantErrno: syscall.ENOMEM},
		{name: "device raises ENOMEM on a 20000-byte body and sends nothing of it", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: quickRetry, path: "/big", wantKind: KindCutResponse, wantErrno: syscall.ENOMEM},
		{name: "a send after the failed one still fits", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: quickRetry, path: "/twice", wantTail: "more", wantKind: KindCutResponse, wantErrno: syscall.ENOMEM},
		{name: "a smaller heap fails a smaller send", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: Params{Tick: time.Hour, SendRetry: time.Millisecond, SendHeap: 1000}, path: "/n/1000",
			wantKind: KindCutResponse, wantErrno: syscall.ENOMEM},
		{name: "a bigger heap meets the send buffer's cut", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			params: Params{Tick: time.Hour, SendHeap: 100000}, path: "/big", wantBody: 6400 - len(header), wantKind: KindCutResponse},
		{name: "host behaviour without the rule", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0, RuleSendBuffer},
			params: quickRetry, path: "/big", wantBody: len(bigBody)},
		{name: "patched firmware sends everything", profile: PicoWPatched, without: []string{RuleParkUntilTick},
			params: quickRetry, path: "/big", wantBody: len(bigBody), wantKind: KindFixed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, tt.without, tt.params))
			c := h.dial()
			request := "GET " + tt.path + " HTTP/1.1\r\n\r\n"
			send(t, c, request)
			h.waitQueued(1, len(request))
			log := h.check(1)[0]
			got, err := readAll(c)
			require.NoError(t, err, "the request was read whole, so the close is clean")

			assert.Equal(t, len(header)+tt.wantBody+len(tt.wantTail), len(got))
			assert.Equal(t, len(got), log.Bytes, "the server counts what the socket took")
			require.True(t, strings.HasPrefix(string(got), header), "the header block arrives whole")
			body, ok := strings.CutSuffix(string(got[len(header):]), tt.wantTail)
			assert.True(t, ok, "the body ends with %q", tt.wantTail)
			assert.True(t, strings.HasPrefix(bigBody, body), "the body is a prefix of what was sent")
			if tt.wantErrno != nil {
				assert.Equal(t, server.OutcomeSendFailed, log.Outcome)
				rule, ok := RuleOf(log.Err)
				assert.True(t, ok)
				assert.Equal(t, RuleSendBuffer, rule)
				assert.ErrorIs(t, log.Err, tt.wantErrno)
			} else {
				assert.Empty(t, log.Outcome)
			}
			evs := h.eventsFor(RuleSendBuffer)
			if tt.wantKind == "" {
				assert.Empty(t, evs)
				return
			}
			require.NotEmpty(t, evs)
			assert.Equal(t, tt.wantKind, evs[0].Kind)
			assert.Equal(t, "GET "+tt.path+" HTTP/1.1", evs[0].Request)
		})
	}
}

// TestSendNoMemoryRetriesUntilReset checks that lwip_tcp_send's retries
// hold the connection open (nothing sent, no close) and that the
// client's reset ends them, as lwIP then frees the connection.
func TestSendNoMemoryRetriesUntilReset(t *testing.T) {
	h := newHarness(t, lookup(t, PicoW, []string{RuleParkUntilTick, RuleAcceptTimeout0}, Params{Tick: time.Hour, SendRetry: time.Hour}))
	h.serve()
	c := h.dial()
	send(t, c, "GET /n/6400 HTTP/1.1\r\n\r\n")
	ev := h.waitEvent(RuleSendBuffer, KindCutResponse)
	assert.Contains(t, ev.Detail, "raises ENOMEM")

	got := make([]byte, len(header))
	_, err := c.Read(got)
	require.NoError(t, err)
	assert.Equal(t, header, string(got), "the header block went out before the body's send failed")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err = c.Read(got)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded, "no close while the send retries")

	tc := c.(interface{ SetLinger(int) error })
	require.NoError(t, tc.SetLinger(0))
	require.NoError(t, c.Close())
	log := h.nextLog()
	assert.Equal(t, server.OutcomeSendFailed, log.Outcome)
	assert.ErrorIs(t, log.Err, syscall.ENOMEM)
}
