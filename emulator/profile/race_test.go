package profile

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcceptRace(t *testing.T) {
	tests := []struct {
		name     string
		profile  string
		params   Params
		send     string
		wantWon  bool
		wantRead string // what the answer says the server read
	}{
		{name: "won: a parked request is answered", profile: PicoW, params: Params{Tick: time.Hour, RaceWin: 1},
			send: getRoot, wantWon: true, wantRead: "read 32 bytes"},
		{name: "won: a long request is cut at one segment", profile: PicoW, params: Params{Tick: time.Hour, RaceWin: 1},
			send: paddedGet(1000), wantWon: true, wantRead: "read 800 bytes"},
		{name: "lost by default", profile: PicoW, params: Params{Tick: time.Hour}, send: getRoot},
		{name: "the patched firmware has no race", profile: PicoWPatched, params: Params{Tick: 20 * time.Millisecond, RaceWin: 1},
			send: getRoot, wantRead: "read 32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, tt.profile, nil, tt.params))
			c := h.dial()
			send(t, c, tt.send)
			h.waitQueued(1, len(tt.send))
			log := h.check(1)[0]
			got, _ := readAll(c)

			if tt.wantRead == "" {
				assert.Empty(t, got)
				h.waitEvent(RuleAcceptTimeout0, KindLost)
				return
			}
			assert.Contains(t, string(got), "HTTP/1.0 200 OK\r\n")
			assert.Contains(t, string(got), tt.wantRead)
			assert.Empty(t, log.Outcome)
			won := h.eventsFor(RuleAcceptTimeout0)
			if !tt.wantWon {
				assert.Empty(t, won)
				return
			}
			require.Len(t, won, 1)
			assert.Equal(t, KindRaceWon, won[0].Kind)
			assert.Contains(t, won[0].String(), "answered this request only by winning the accept race")
			assert.Empty(t, h.eventsFor(RuleParkUntilTick), "the win is reported instead of a handover at the tick")
		})
	}
}

// TestAcceptRaceWaitsForTheRequest checks that a won race answers a client
// whose request is still on its way when the server reads, and that a
// client that sends nothing within the window is lost all the same.
func TestAcceptRaceWaitsForTheRequest(t *testing.T) {
	tests := []struct {
		name     string
		window   time.Duration
		send     bool
		wantLost bool
	}{
		{name: "a request on its way is answered", window: testDeadline, send: true},
		{name: "a silent client is lost", window: 20 * time.Millisecond, wantLost: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, lookup(t, PicoW, nil, Params{Tick: time.Hour, RaceWin: 1, RaceWindow: tt.window}))
			h.serve()
			c := h.dial()
			h.waitState("the server took the connection", func(l *listener) bool { return len(l.pending) == 0 && l.open == 1 })
			if tt.send {
				send(t, c, getRoot)
			}
			got, err := readAll(c)
			if tt.wantLost {
				assert.Empty(t, got)
				h.waitEvent(RuleAcceptTimeout0, KindLost)
				return
			}
			require.NoError(t, err)
			assert.Contains(t, string(got), "read 32 bytes")
			h.waitEvent(RuleAcceptTimeout0, KindRaceWon)
		})
	}
}

func TestRaceDraws(t *testing.T) {
	draws := func(p Params) []bool {
		r := newRace(p)
		out := make([]bool, 200)
		for i := range out {
			out[i] = r.won()
		}
		return out
	}
	count := func(b []bool) (n int) {
		for _, w := range b {
			if w {
				n++
			}
		}
		return n
	}
	assert.Equal(t, 0, count(draws(Params{})), "rate 0 never wins")
	assert.Equal(t, 0, count(draws(Params{RaceWin: math.NaN()})), "NaN is rate 0")
	assert.Equal(t, 200, count(draws(Params{RaceWin: 1})))
	a, b := draws(Params{RaceWin: 0.3, RaceSeed: 7}), draws(Params{RaceWin: 0.3, RaceSeed: 7})
	assert.Equal(t, a, b, "one seed, one sequence")
	assert.NotEqual(t, a, draws(Params{RaceWin: 0.3, RaceSeed: 8}), "another seed, another sequence")
	assert.InDelta(t, 60, count(a), 30)

	for _, bad := range []float64{-0.1, 1.5, math.NaN(), math.Inf(1)} {
		assert.Error(t, CheckRaceRate(bad), "%v", bad)
	}
	for _, good := range []float64{0, 0.02, 1} {
		assert.NoError(t, CheckRaceRate(good), "%v", good)
	}
}
