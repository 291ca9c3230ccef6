package profile

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnectionLimit(t *testing.T) {
	served := []string{RuleAcceptTimeout0, RuleParkUntilTick}
	tests := []struct {
		name      string
		without   []string
		wantWaits bool
	}{
		{name: "device keeps a sixth connection waiting", without: served, wantWaits: true},
		{name: "host behaviour without the rule", without: append(served, RuleConnectionLimit)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, PicoW, tt.without, Params{}))
			for range 5 {
				send(t, h.dial(), getRoot)
			}
			h.waitQueued(5, 5*len(getRoot))
			sixth := h.dial()
			send(t, sixth, getRoot)
			if !tt.wantWaits {
				h.waitQueued(6, 6*len(getRoot))
				assert.Empty(t, h.eventsFor(RuleConnectionLimit))
				return
			}

			// Nothing serves yet: the sixth client gets nothing before its
			// read deadline, and the wrapper has not taken it.
			require.NoError(t, sixth.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
			_, err := sixth.Read(make([]byte, 1))
			var ne net.Error
			require.True(t, errors.As(err, &ne) && ne.Timeout(), "the sixth client should wait, got %v", err)
			h.waitState("five connections, all queued", func(l *listener) bool { return l.open == 5 && len(l.pending) == 5 })
			ev := h.waitEvent(RuleConnectionLimit, KindWait)
			assert.Equal(t, "-", ev.Peer)

			// Serving frees slots; the sixth is served last.
			require.NoError(t, sixth.SetReadDeadline(time.Now().Add(testDeadline)))
			logs := h.check(6)
			assert.Equal(t, sixth.LocalAddr().String(), logs[5].Peer)
			got, err := readAll(sixth)
			require.NoError(t, err)
			assert.Contains(t, string(got), "HTTP/1.0 200 OK\r\n")
		})
	}
}
