package profile

import (
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/server"
)

func TestSendBuffer(t *testing.T) {
	const header = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n"
	tests := []struct {
		name        string
		profile     string
		without     []string
		path        string
		wantBytes   int    // header block and body together
		wantTail    string // what follows the (cut) big body
		wantKind    Kind
		wantOutcome server.Outcome
	}{
		{name: "device cuts a 20000-byte body at the 6400-byte buffer", profile: PicoW, without: []string{RuleParkUntilTick},
			path: "/big", wantBytes: 6400, wantKind: KindCutResponse},
		{name: "device raises EAGAIN on a send into a full buffer", profile: PicoW, without: []string{RuleParkUntilTick},
			path: "/twice", wantBytes: 6400, wantKind: KindCutResponse, wantOutcome: server.OutcomeSendFailed},
		{name: "blocking device socket waits for ACKs but still cuts", profile: PicoW, without: []string{RuleParkUntilTick, RuleAcceptTimeout0},
			path: "/twice", wantBytes: 6400 + len("more"), wantTail: "more", wantKind: KindCutResponse},
		{name: "host behaviour without the rule", profile: PicoW, without: []string{RuleParkUntilTick, RuleSendBuffer},
			path: "/big", wantBytes: len(header) + len(bigBody)},
		{name: "patched firmware sends everything", profile: PicoWPatched, without: []string{RuleParkUntilTick},
			path: "/big", wantBytes: len(header) + len(bigBody), wantKind: KindFixed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, tt.without, Params{}))
			c := h.dial()
			request := "GET " + tt.path + " HTTP/1.1\r\n\r\n"
			send(t, c, request)
			h.waitQueued(1, len(request))
			log := h.check(1)[0]
			got, err := readAll(c)
			require.NoError(t, err, "the request was read whole, so the close is clean")

			assert.Len(t, got, tt.wantBytes)
			assert.Equal(t, tt.wantBytes, log.Bytes, "the server counts what the socket took")
			require.True(t, strings.HasPrefix(string(got), header), "the header block arrives whole")
			body, ok := strings.CutSuffix(string(got[len(header):]), tt.wantTail)
			assert.True(t, ok, "the body ends with %q", tt.wantTail)
			assert.True(t, strings.HasPrefix(bigBody, body), "the body is a prefix of what was sent")
			assert.Equal(t, tt.wantOutcome, log.Outcome)
			if tt.wantOutcome != "" {
				rule, ok := RuleOf(log.Err)
				assert.True(t, ok)
				assert.Equal(t, RuleSendBuffer, rule)
				assert.ErrorIs(t, log.Err, syscall.EAGAIN)
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
