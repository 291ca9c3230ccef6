package profile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var deviceRuleNames = []string{RuleAcceptTimeout0, RuleParkUntilTick, RuleOneSegmentRead, RuleSendBuffer, RuleConnectionLimit, RuleRSTOnUnreadClose}

func ruleNames(p *Profile) []string {
	var names []string
	for _, r := range p.Rules {
		names = append(names, r.Name)
	}
	return names
}

func TestLookup(t *testing.T) {
	tests := []struct {
		in        string
		want      string
		wantRules []string
		wantErr   string
	}{
		{in: "", want: Host},
		{in: "host", want: Host},
		{in: " Pico-W ", want: PicoW, wantRules: deviceRuleNames},
		{in: "pico-w-patched", want: PicoWPatched, wantRules: deviceRuleNames},
		{in: "pico", wantErr: `unknown profile "pico"; the profiles are host, pico-w, pico-w-patched`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := Lookup(tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.Name)
			assert.Equal(t, tt.wantRules, ruleNames(p))
			assert.NotEmpty(t, p.Summary)
		})
	}
}

func TestLookupReturnsACopy(t *testing.T) {
	p, err := Lookup(PicoW)
	require.NoError(t, err)
	p.Rules[0].Summary = "changed"
	p.Params.MSS = 1
	q, err := Lookup(PicoW)
	require.NoError(t, err)
	assert.NotEqual(t, "changed", q.Rules[0].Summary)
	assert.Zero(t, q.Params.MSS)
}

func TestWithout(t *testing.T) {
	tests := []struct {
		name      string
		profile   string
		without   []string
		wantRules []string
		wantLabel string
		wantErr   string
	}{
		{name: "none", profile: PicoW, wantRules: deviceRuleNames, wantLabel: "pico-w"},
		{name: "one", profile: PicoW, without: []string{RuleSendBuffer},
			wantRules: []string{RuleAcceptTimeout0, RuleParkUntilTick, RuleOneSegmentRead, RuleConnectionLimit, RuleRSTOnUnreadClose},
			wantLabel: "pico-w without send-buffer"},
		{name: "comma separated and repeated", profile: PicoWPatched, without: []string{"send-buffer, accept-timeout-0", "send-buffer"},
			wantRules: []string{RuleParkUntilTick, RuleOneSegmentRead, RuleConnectionLimit, RuleRSTOnUnreadClose},
			wantLabel: "pico-w-patched without send-buffer, accept-timeout-0"},
		{name: "unknown rule", profile: PicoW, without: []string{"mss"},
			wantErr: `profile pico-w has no rule "mss"; its rules are accept-timeout-0, park-until-tick, one-segment-read, send-buffer, connection-limit, rst-on-unread-close`},
		{name: "empty name", profile: PicoW, without: []string{"send-buffer,"}, wantErr: `empty rule name in --without "send-buffer,"`},
		{name: "host has no rules", profile: Host, without: []string{RuleSendBuffer},
			wantErr: `profile host has no rules to turn off (asked for "send-buffer")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Lookup(tt.profile)
			require.NoError(t, err)
			q, err := p.Without(tt.without...)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantRules, ruleNames(q))
			assert.Equal(t, tt.wantLabel, q.Label())
			assert.Equal(t, deviceRuleNames, ruleNames(p), "Without leaves the original alone")
		})
	}
}

func TestWithoutAnOffRuleNamesIt(t *testing.T) {
	p, err := Lookup(PicoW)
	require.NoError(t, err)
	p, err = p.Without(RuleSendBuffer)
	require.NoError(t, err)
	_, err = p.Without("nope")
	require.Error(t, err)
	assert.Contains(t, err.Error(), RuleSendBuffer, "the error lists every rule, on or off")
}

func TestAll(t *testing.T) {
	all := All()
	require.Len(t, all, 3)
	assert.Equal(t, Names(), []string{all[0].Name, all[1].Name, all[2].Name})
	for _, p := range all {
		assert.NotEmpty(t, p.Summary, p.Name)
		for _, r := range p.Rules {
			assert.NotEmpty(t, r.Summary, "%s %s", p.Name, r.Name)
		}
	}
	assert.Empty(t, all[0].Rules, "host has no rules")
	patched := 0
	for _, r := range all[2].Rules {
		if r.patched {
			patched++
			assert.Contains(t, r.Summary, "Fixed:")
		}
	}
	assert.Equal(t, 3, patched, "pico-w-patched fixes accept-timeout-0, one-segment-read and send-buffer")
}

func TestParamsDefaults(t *testing.T) {
	got := Params{MSS: 536, Tick: -1, RaceWin: 2}.withDefaults()
	assert.Equal(t, Params{Tick: DefaultTick, MSS: 536, SendBuffer: 6400, SendHeap: 6600, SegmentCost: 78,
		SendRetry: 10 * time.Second, RaceWin: 1, RaceWindow: DefaultRaceWindow, RecvWindow: 6400, MaxConns: 5,
		RecvTimeout: DefaultRecvTimeout, DrainTimeout: DefaultDrainTimeout}, got)
}
