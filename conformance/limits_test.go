package conformance

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

func TestDefaultScenarioTimeout(t *testing.T) {
	tests := []struct {
		idle, want time.Duration
	}{
		{100 * time.Millisecond, MinScenarioTimeout},
		{300 * time.Millisecond, MinScenarioTimeout},
		{scenario.DefaultTimeout, 10 * scenario.DefaultTimeout},
		{5 * time.Second, 50 * time.Second},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, DefaultScenarioTimeout(tt.idle), "idle %v", tt.idle)
	}
}

func TestScenarioLimits(t *testing.T) {
	tests := []struct {
		name     string
		steps    []string
		expect   []string // the [expect] section's clauses
		set      time.Duration
		keep     int
		scenario time.Duration
		keepMain int
	}{
		{"defaults", []string{`send "x"`}, []string{"end fin"}, 0, 0, MinScenarioTimeout, DefaultKeep},
		{"waits add to the default", []string{`send "x"`, "wait 300ms", "wait 2s"}, []string{"end fin"}, 0, 0,
			MinScenarioTimeout + 2300*time.Millisecond, DefaultKeep},
		{"waits add at most the default again", []string{`send "x"`, "wait 1h", "wait 1h"}, []string{"end fin"}, 0, 0,
			2 * MinScenarioTimeout, DefaultKeep},
		{"a set deadline is the whole of it", []string{`send "x"`, "wait 2s"}, []string{"end fin"}, time.Second, 0, time.Second, DefaultKeep},
		{"a small expectation keeps the default", []string{`send "x"`}, []string{`status "HTTP/1.0 200 OK\r\n"`, "length 20000"}, 0, 0,
			MinScenarioTimeout, DefaultKeep},
		{"a length beyond the cap keeps more", []string{`send "x"`}, []string{`status "HTTP/1.0 200 OK\r\n"`, "length 3000000"}, 0, 0,
			MinScenarioTimeout, 3000000 + len("HTTP/1.0 200 OK\r\n") + keepSlack},
		{"a body beyond a small cap keeps more", []string{`send "x"`}, []string{`body "ab"*1000`}, 0, 1000,
			MinScenarioTimeout, 2000 + keepSlack},
		{"an absurd length is bounded", []string{`send "x"`}, []string{"length 9000000000000"}, 0, 0,
			MinScenarioTimeout, maxKeep + keepSlack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := scenariotest.Lines(append(append([]string{"[scenario]", `description "d"`, `rule routes "r"`, "", "[steps]"}, tt.steps...),
				append([]string{"", "[expect]"}, tt.expect...)...)...)
			s := scenariotest.MustParse(t, "limits/x", text)
			l := scenarioLimits(Resolve(s, nil), 300*time.Millisecond, tt.set, tt.keep)
			assert.Equal(t, tt.scenario, l.scenario)
			assert.Equal(t, tt.keepMain, l.keepFor(scenario.MainConn))
			want := tt.keep
			if want == 0 {
				want = DefaultKeep
			}
			assert.Equal(t, want, l.keepFor("other"), "a connection without an expectation keeps the cap")
		})
	}
}

// A wait longer than the scenario's deadline ends at the deadline: the
// scenario fails at once, it does not sleep on.
func TestWaitIsCutAtTheDeadline(t *testing.T) {
	addr := hostileServer(t, neverAnswers)
	s := scenariotest.MustParse(t, "limits/wait", scenariotest.Lines("[scenario]", `description "d"`, `rule routes "r"`, "",
		"[steps]", `send "GET / HTTP/1.0\r\n\r\n"`, "wait 1h", `send "x"`, "", "[expect]", "end fin"))
	r := &Runner{Timeout: 100 * time.Millisecond, ScenarioTimeout: 500 * time.Millisecond}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	res := r.RunScenario(ctx, Target{Name: "t", Addr: addr}, s)
	assert.NoError(t, ctx.Err(), "the runner ended the wait itself")
	assert.Equal(t, StatusFail, res.Status)
	assert.True(t, res.Capture.Overran, "the scenario took longer than its deadline")
}
