package conformance

import (
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

func TestRetryPolicyDelay(t *testing.T) {
	p := RetryPolicy{Max: 5, Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, p.Delay(n))
	}
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}, got)
}

func TestRetryPolicyReason(t *testing.T) {
	s := scenariotest.MustParse(t, "r/x", scenariotest.TextScenario)
	rstOK := scenariotest.MustParse(t, "r/y", scenariotest.Minimal+"[expect]\nend rst\n")
	lost := scenariotest.MustParse(t, "r/z", scenariotest.Minimal+"[expect]\nraw \"\"\nend fin rst\n")
	failing := []Failure{{What: "status"}}
	tests := []struct {
		name     string
		s        *scenario.Scenario
		n        int
		cc       ConnCapture
		failures []Failure
		want     string
	}{
		{"refused", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndRefused}, failing, "connection main refused"},
		{"reset before a byte", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndRST}, failing, "connection main reset before any byte arrived"},
		{"reset after bytes is an answer", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndRST, Data: []byte("x")}, failing, ""},
		{"reset expected", rstOK, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndRST}, failing, ""},
		{"passed", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndRefused}, nil, ""},
		{"other failure", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndFIN}, failing, ""},
		{"out of retries", s, 3, ConnCapture{Name: scenario.MainConn, End: scenario.EndRefused}, failing, ""},
		{"answered where lost", lost, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndFIN, Data: []byte("x")}, failing, "connection main answered where the request should have been lost"},
		{"silence kept", lost, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndTimeout}, failing, ""},
		{"answered as expected", s, 1, ConnCapture{Name: scenario.MainConn, End: scenario.EndFIN, Data: []byte("x")}, failing, ""},
	}
	p := RetryPolicy{Max: 2}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := tt.cc
			got := p.Reason(tt.n, Resolve(tt.s, nil), &Capture{Conns: []*ConnCapture{&cc}}, tt.failures)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRunnerRetriesAResetAndCountsIt(t *testing.T) {
	// Like a Pico W whose lwIP had not handed the request over: the first
	// connection is reset with nothing, the next one is served.
	var n atomic.Int32
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		if n.Add(1) == 1 {
			testnet.ReadRequest(c)
			_ = c.SetLinger(0)
			_ = c.Close()
			return
		}
		testnet.Answer(scenariotest.TextAnswer)(c)
	})
	r := Runner{Retry: RetryPolicy{Max: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}}
	res := r.RunScenario(t.Context(), Target{Name: "fake", Addr: addr}, scenariotest.MustParse(t, "r/text", scenariotest.TextScenario))
	assert.Equal(t, StatusPass, res.Status, "%v", res.Failures)
	assert.Equal(t, 1, res.Retries)
	assert.Equal(t, []string{"connection main reset before any byte arrived"}, res.RetryReasons)

	// Without retries the same device fails, and says why.
	n.Store(0)
	r.Retry.Max = 0
	res = r.RunScenario(t.Context(), Target{Name: "fake", Addr: addr}, scenariotest.MustParse(t, "r/text", scenariotest.TextScenario))
	assert.Equal(t, StatusFail, res.Status)
	assert.Zero(t, res.Retries)
}

func TestRunnerGivesUpAfterMaxRetries(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	r := Runner{Retry: RetryPolicy{Max: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}}
	res := r.RunScenario(t.Context(), Target{Name: "gone", Addr: addr}, scenariotest.MustParse(t, "r/text", scenariotest.TextScenario))
	assert.Equal(t, StatusFail, res.Status)
	assert.Equal(t, 2, res.Retries)
	require.NotEmpty(t, res.Failures)
	assert.Equal(t, "connect", res.Failures[0].What)
}

func TestRunnerStatuses(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	withDiff := scenariotest.TextScenario + "[expect when micropython]\ndifference \"d\"\nend fin\n"
	tests := []struct {
		name   string
		text   string
		labels []string
		want   Status
	}{
		{"pass", scenariotest.TextScenario, nil, StatusPass},
		{"override without difference", scenariotest.TextScenario + "[expect when cpython]\nend fin\n", []string{"cpython"}, StatusPass},
		{"declared difference", withDiff, []string{"micropython"}, StatusDifference},
		{"difference for other labels", withDiff, []string{"cpython"}, StatusPass},
		{"fail", scenariotest.TextScenario + "[expect when cpython]\nend rst\n", []string{"cpython"}, StatusFail},
	}
	var r Runner
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.RunScenario(t.Context(), Target{Name: "fake", Addr: addr, Labels: tt.labels}, scenariotest.MustParse(t, "r/x", tt.text))
			assert.Equal(t, tt.want, res.Status, "%v", res.Failures)
		})
	}
}

func TestRunnerEscapes(t *testing.T) {
	stops := scenariotest.TextScenario + "[device]\nescapes 1\nescape-like \"^BrokenPipeError\"\n"
	tests := []struct {
		name    string
		text    string
		target  func(addr string, esc *EscapeLog) Target
		escape  string // what the fake reports per served request ("" for none)
		want    Status
		failing []string
	}{
		{"reported as expected", stops, func(a string, e *EscapeLog) Target { return Target{Name: "u", Addr: a, Escapes: e} },
			"BrokenPipeError: [Errno 32] Broken pipe", StatusPass, nil},
		{"unexpected escape", scenariotest.TextScenario, func(a string, e *EscapeLog) Target { return Target{Name: "u", Addr: a, Escapes: e} },
			"BrokenPipeError: [Errno 32] Broken pipe", StatusFail, []string{"escapes"}},
		{"wrong kind of escape", stops, func(a string, e *EscapeLog) Target { return Target{Name: "u", Addr: a, Escapes: e} },
			"KeyError: 201", StatusFail, []string{"escape-like"}},
		{"skipped on a bare device", stops, func(a string, _ *EscapeLog) Target { return Target{Name: "pico", Addr: a} },
			"", StatusSkip, nil},
		{"run where serving goes on", stops, func(a string, _ *EscapeLog) Target { return Target{Name: "emu", Addr: a, KeepsServing: true} },
			"", StatusPass, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			esc := newFakeEscapes()
			var served atomic.Int32
			addr := testnet.Serve(t, func(c *net.TCPConn) {
				// Only the scenario's own request escapes, not the probe.
				if served.Add(1) == 1 && tt.escape != "" {
					esc.Add(tt.escape)
				}
				testnet.Answer(scenariotest.TextAnswer)(c)
			})
			r := Runner{Timeout: time.Second}
			res := r.RunScenario(t.Context(), tt.target(addr, esc), scenariotest.MustParse(t, "r/x", tt.text))
			assert.Equal(t, tt.want, res.Status, "%v", res.Failures)
			var whats []string
			for _, f := range res.Failures {
				whats = append(whats, f.What)
			}
			assert.Equal(t, tt.failing, whats)
			if tt.want == StatusSkip {
				assert.Equal(t, int32(0), served.Load(), "a skipped scenario sends nothing")
				assert.NotEmpty(t, res.Notes)
			}
		})
	}
}

func TestRunnerProbeFailure(t *testing.T) {
	// A target that answers the scenario and then never again: the probe
	// that collects escapes fails, and says so.
	var n atomic.Int32
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		if n.Add(1) == 1 {
			testnet.Answer(scenariotest.TextAnswer)(c)
			return
		}
		_ = c.Close()
	})
	r := Runner{Timeout: 500 * time.Millisecond}
	res := r.RunScenario(t.Context(), Target{Name: "u", Addr: addr, Escapes: newFakeEscapes()}, scenariotest.MustParse(t, "r/x", scenariotest.TextScenario))
	require.Equal(t, StatusFail, res.Status)
	assert.Equal(t, "probe", res.Failures[0].What)
}

func TestRunnerRunReportsEachResult(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	var seen []string
	r := Runner{OnResult: func(res Result) { seen = append(seen, res.ID+"="+string(res.Status)) }}
	a := scenariotest.MustParse(t, "a/one", scenariotest.TextScenario)
	b := scenariotest.MustParse(t, "b/two", scenariotest.TextScenario+"[expect when x]\nend rst\n")
	results := r.Run(t.Context(), Target{Name: "fake", Addr: addr, Labels: []string{"x"}}, []*scenario.Scenario{a, b})
	require.Len(t, results, 2)
	assert.Equal(t, []string{"a/one=pass", "b/two=fail"}, seen)
}

// fakePanel records the inputs a runner sets, or refuses them.
type fakePanel struct {
	set    [][]scenario.Input
	refuse error
}

func (p *fakePanel) SetInputs(inputs []scenario.Input) error {
	if p.refuse != nil {
		return p.refuse
	}
	p.set = append(p.set, inputs)
	return nil
}

func TestRunnerSetsInputs(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	withInputs := strings.Replace(scenariotest.TextScenario, "[steps]", "[inputs]\nk1 40\nb1 1\n[steps]", 1)
	k1b1 := []scenario.Input{{Name: "k1", Value: 40, Line: 5}, {Name: "b1", Value: 1, Line: 6}}
	tests := []struct {
		name      string
		text      string
		panel     *fakePanel
		wantSet   [][]scenario.Input
		wantNote  string
		wantState Status
	}{
		{"set on a panel", withInputs, &fakePanel{}, [][]scenario.Input{k1b1}, "", StatusPass},
		{"nothing to set", scenariotest.TextScenario, &fakePanel{}, nil, "", StatusPass},
		{"ignored without a panel", withInputs, nil, nil, "the scenario's [inputs] were not set: fake has no panel this run can set", StatusPass},
		{"refused", withInputs, &fakePanel{refuse: errors.New("no knobs")}, nil, "", StatusFail},
	}
	var r Runner
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := Target{Name: "fake", Addr: addr}
			if tt.panel != nil {
				target.Panel = tt.panel
			}
			res := r.RunScenario(t.Context(), target, scenariotest.MustParse(t, "r/x", tt.text))
			assert.Equal(t, tt.wantState, res.Status, "%v", res.Failures)
			if tt.panel != nil {
				assert.Equal(t, tt.wantSet, tt.panel.set)
			}
			if tt.wantNote != "" {
				assert.Contains(t, res.Notes, tt.wantNote)
			}
			if tt.wantState == StatusFail {
				require.Len(t, res.Failures, 1)
				assert.Equal(t, "[inputs] line 5: inputs: the target refused the scenario's inputs: no knobs", res.Failures[0].Summary())
			}
		})
	}
}
