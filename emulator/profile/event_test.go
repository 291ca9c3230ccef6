package profile

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEventString(t *testing.T) {
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{Profile: "pico-w", Rule: RuleAcceptTimeout0, Kind: KindLost, Peer: "127.0.0.1:5000", Request: "GET / HTTP/1.1", Detail: "recv raised EAGAIN"},
			`127.0.0.1:5000 pico-w would have lost this request "GET / HTTP/1.1": rule accept-timeout-0 (recv raised EAGAIN)`},
		{Event{Profile: "pico-w", Rule: RuleConnectionLimit, Kind: KindWait, Peer: "-", Detail: "full"},
			`- pico-w would have waited: rule connection-limit (full)`},
		{Event{Profile: "pico-w-patched", Rule: RuleSendBuffer, Kind: KindFixed, Peer: "p", Request: "GET /\x00", Detail: "d"},
			`p pico-w-patched would have needed its fix for this request "GET /\x00": rule send-buffer (d)`},
		{Event{Profile: "x", Rule: "r", Kind: KindCutResponse, Peer: "p", Detail: "d"}, `p x would have cut this response short: rule r (d)`},
		{Event{Profile: "x", Rule: "r", Kind: KindCutRequest, Peer: "p", Detail: "d"}, `p x would have read only part of this request: rule r (d)`},
		{Event{Profile: "x", Rule: "r", Kind: KindReset, Peer: "p", Detail: "d"}, `p x would have reset this connection: rule r (d)`},
	}
	for _, tt := range tests {
		t.Run(string(tt.ev.Kind), func(t *testing.T) {
			assert.Equal(t, tt.want, tt.ev.String())
			assert.Equal(t, tt.ev.Kind == KindLost, tt.ev.Lost())
		})
	}
}

func TestRuleError(t *testing.T) {
	err := fmt.Errorf("recv: %w", &RuleError{Rule: RuleAcceptTimeout0, Op: "recv", Err: syscall.EAGAIN})
	rule, ok := RuleOf(err)
	assert.True(t, ok)
	assert.Equal(t, RuleAcceptTimeout0, rule)
	assert.ErrorIs(t, err, syscall.EAGAIN)
	assert.Contains(t, err.Error(), "device rule accept-timeout-0")
	_, ok = RuleOf(errors.New("plain"))
	assert.False(t, ok)
}
