package profile

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRSTOnUnreadClose(t *testing.T) {
	request := paddedGet(1500) // the core reads 1024; 476 stay unread
	tests := []struct {
		name      string
		without   []string
		wantReset bool
	}{
		{name: "device resets", without: []string{RuleAcceptTimeout0, RuleParkUntilTick, RuleOneSegmentRead}, wantReset: true},
		{name: "clean close without the rule", without: []string{RuleAcceptTimeout0, RuleParkUntilTick, RuleOneSegmentRead, RuleRSTOnUnreadClose}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, PicoW, tt.without, Params{}))
			c := h.dial()
			send(t, c, request)
			h.waitQueued(1, len(request))
			log := h.check(1)[0]
			assert.Len(t, log.Request, 1024)
			got, err := readAll(c)
			assert.Equal(t, tt.wantReset, isReset(err), "reset: %v", err)
			evs := h.eventsFor(RuleRSTOnUnreadClose)
			if !tt.wantReset {
				require.NoError(t, err)
				assert.Contains(t, string(got), "read 1024 bytes")
				assert.Empty(t, evs)
				return
			}
			require.Len(t, evs, 1)
			assert.Equal(t, KindReset, evs[0].Kind)
			assert.Contains(t, evs[0].Detail, "476 bytes unread")
		})
	}
}

func TestLostRequestReportsNoSeparateReset(t *testing.T) {
	h := newHarness(t, lookup(t, PicoW, nil, farTick))
	c := h.dial()
	send(t, c, getRoot)
	h.waitQueued(1, len(getRoot))
	h.check(1)
	_, err := readAll(c)
	assert.True(t, isReset(err), "reset: %v", err)
	h.waitEvent(RuleAcceptTimeout0, KindLost)
	assert.Empty(t, h.eventsFor(RuleRSTOnUnreadClose), "the lost-request line already covers the reset")
}
