package conformance

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeProfile is a ProfileReporter whose events a fake server adds.
type fakeProfile struct {
	mu  sync.Mutex
	all []ProfileEvent
}

func (f *fakeProfile) add(e ProfileEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all = append(f.all, e)
}

func (f *fakeProfile) ProfileEvents() []ProfileEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ProfileEvent(nil), f.all...)
}

// losing is a device that loses every request, the escape probe's too, and
// reports it (unless the request is the probe and reportProbe is false),
// with an event about another client and one about its listener.
func losing(p *fakeProfile, reportProbe bool) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		req := readRequest(c)
		peer := c.RemoteAddr().String()
		if string(req) != probeRequest || reportProbe {
			p.add(ProfileEvent{Peer: "127.0.0.1:1", Rule: "send-buffer", Kind: "cut-response", Text: "someone else"})
			p.add(ProfileEvent{Peer: "-", Rule: "connection-limit", Kind: "wait", Text: "the listener waited"})
			p.add(ProfileEvent{Peer: peer, Rule: "accept-timeout-0", Kind: ProfileEventLost, Text: peer + " lost"})
		}
		_ = c.Close()
	}
}

// lostScenario expects GET /text answered on the host and lost on pico-w.
var lostScenario = minimal + lines(
	"[expect]",
	`status "HTTP/1.0 200 OK\r\n"`,
	"end fin",
	"[expect when pico-w]",
	`difference "lost"`,
	`raw ""`,
	"end fin rst",
)

func TestRunnerNamesTheProfileRulesBehindAResult(t *testing.T) {
	tests := []struct {
		name        string
		reportProbe bool
		status      Status
		failures    []string
	}{
		// The probe was lost, and the profile says so: the server took it,
		// so every earlier connection is done.
		{"probe lost by a rule", true, StatusDifference, nil},
		{"probe unanswered", false, StatusFail, []string{"probe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakeProfile{}
			addr := serveFake(t, losing(p, tt.reportProbe))
			target := Target{Name: "dev", Addr: addr, Labels: []string{"pico-w"}, Escapes: newFakeEscapes(),
				KeepsServing: true, Profile: "pico-w", ProfileEvents: p}
			r := Runner{Timeout: time.Second}
			res := r.RunScenario(t.Context(), target, mustParse(t, "get/text", lostScenario))

			assert.Equal(t, tt.status, res.Status, "%v", res.Failures)
			var whats []string
			for _, f := range res.Failures {
				whats = append(whats, f.What)
			}
			assert.Equal(t, tt.failures, whats)
			// The scenario's connection and the listener, not the probe
			// nor another client.
			require.Len(t, res.Capture.Conns, 1)
			local := res.Capture.Conns[0].Local
			require.NotEmpty(t, local)
			assert.Equal(t, []ProfileEvent{
				{Peer: "-", Rule: "connection-limit", Kind: "wait", Text: "the listener waited"},
				{Peer: local, Rule: "accept-timeout-0", Kind: ProfileEventLost, Text: local + " lost"},
			}, res.ProfileEvents)
			assert.Equal(t, []string{"connection-limit", "accept-timeout-0"}, res.ProfileRules())
		})
	}
}

func TestRunnerRetriesWhatAProfilesTimingDecided(t *testing.T) {
	// The first attempt goes the rare way (a clean close where the
	// scenario expects the reset), the next the usual one.
	s := mustParse(t, "r/lost", minimal+"[expect]\nraw \"\"\nend rst\n")
	tests := []struct {
		name    string
		profile ProfileReporter
		status  Status
		reasons []string
	}{
		{"under a profile", &fakeProfile{}, StatusPass, []string{"under a device profile timing may decide: [expect] line 9: end: expected the connection to end by rst, actual fin"}},
		{"on the host", nil, StatusFail, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			addr := serveFake(t, func(c *net.TCPConn) {
				readRequest(c)
				if n.Add(1) > 1 {
					_ = c.SetLinger(0)
				}
				_ = c.Close()
			})
			r := Runner{Retry: RetryPolicy{Max: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}}
			target := Target{Name: "dev", Addr: addr}
			if tt.profile != nil {
				target.ProfileEvents = tt.profile
			}
			res := r.RunScenario(t.Context(), target, s)
			assert.Equal(t, tt.status, res.Status, "%v", res.Failures)
			assert.Equal(t, tt.reasons, res.RetryReasons)
		})
	}
}

func TestRunnerWithoutProfileHasNoEvents(t *testing.T) {
	addr := serveFake(t, canned(okText))
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "host", Addr: addr}, mustParse(t, "get/text", textScenario))
	assert.Equal(t, StatusPass, res.Status, "%v", res.Failures)
	assert.Nil(t, res.ProfileEvents)
	assert.Nil(t, res.ProfileRules())
}

// profiledRuns is one target under a device profile: an expected
// difference, a failure and a pass with the events behind them.
func profiledRuns(t *testing.T) []TargetResults {
	s := mustParse(t, "get/text", textScenario)
	lost := ProfileEvent{Peer: "127.0.0.1:5", Rule: "accept-timeout-0", Kind: ProfileEventLost, Text: "127.0.0.1:5 pico-w would have lost this request"}
	wait := ProfileEvent{Peer: "127.0.0.1:6", Rule: "park-until-tick", Kind: "wait", Text: "127.0.0.1:6 pico-w would have waited"}
	fail := Failure{Conn: MainConn, Section: "expect when pico-w", Line: 12, What: "end", Offset: -1, Detail: "expected fin, actual rst"}
	results := []Result{
		{ID: "get/text", Target: "emulator/pico-w", Status: StatusDifference, Differences: []string{"lost"}, ProfileEvents: []ProfileEvent{lost}},
		{ID: "get/json", Target: "emulator/pico-w", Status: StatusFail, Scenario: s, Failures: []Failure{fail}, ProfileEvents: []ProfileEvent{lost, wait}},
		{ID: "get/csv", Target: "emulator/pico-w", Status: StatusPass, ProfileEvents: []ProfileEvent{wait}},
	}
	return []TargetResults{{Target: Target{Name: "emulator/pico-w", Addr: "127.0.0.1:1", Labels: []string{"emulator", "cpython", "pico-w"}, Profile: "pico-w"}, Results: results}}
}

func TestTextReportNamesProfileRules(t *testing.T) {
	tests := []struct {
		verbose bool
		has     []string
		hasNot  []string
	}{
		{false,
			[]string{"xdiff get/text", "0s  [rule accept-timeout-0]\n", "[rules accept-timeout-0, park-until-tick]\n",
				"      [expect when pico-w] line 12: end: expected fin, actual rst\n      profile: 127.0.0.1:5 pico-w would have lost this request\n      profile: 127.0.0.1:6 pico-w would have waited\n",
				"pass  get/csv                                        0s\n"},
			[]string{"[rule park-until-tick]"}},
		// Verbose: the rules on passing lines too, and every event.
		{true,
			[]string{"pass  get/csv                                        0s  [rule park-until-tick]\n      profile: 127.0.0.1:6 pico-w would have waited\n",
				"      expected difference: lost\n      profile: 127.0.0.1:5 pico-w would have lost this request\n"},
			nil},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		rep := &TextReport{W: &buf, Verbose: tt.verbose}
		for _, r := range profiledRuns(t)[0].Results {
			rep.Result(r)
		}
		for _, s := range tt.has {
			assert.Contains(t, buf.String(), s, "verbose %v", tt.verbose)
		}
		for _, s := range tt.hasNot {
			assert.NotContains(t, buf.String(), s, "verbose %v", tt.verbose)
		}
	}
}

func TestMachineReportsNameProfileRules(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, profiledRuns(t)))
	var got struct {
		Targets []struct {
			Profile string
			Results []struct {
				ID            string
				ProfileRules  []string `json:"profile_rules"`
				ProfileEvents []string `json:"profile_events"`
			}
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got), buf.String())
	require.Len(t, got.Targets, 1)
	assert.Equal(t, "pico-w", got.Targets[0].Profile)
	r := got.Targets[0].Results[1]
	assert.Equal(t, []string{"accept-timeout-0", "park-until-tick"}, r.ProfileRules)
	assert.Equal(t, []string{"127.0.0.1:5 pico-w would have lost this request", "127.0.0.1:6 pico-w would have waited"}, r.ProfileEvents)

	buf.Reset()
	require.NoError(t, WriteJUnit(&buf, profiledRuns(t)))
	var doc struct {
		Suites []struct {
			Cases []struct {
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
	cases := doc.Suites[0].Cases
	assert.Contains(t, cases[0].SystemOut, "expected difference: lost\nprofile [rule accept-timeout-0]\nprofile: 127.0.0.1:5 pico-w would have lost this request")
	require.NotNil(t, cases[1].Failure)
	assert.Equal(t, "[expect when pico-w] line 12: end: expected fin, actual rst [rules accept-timeout-0, park-until-tick]", cases[1].Failure.Message)
}

func TestRulesTag(t *testing.T) {
	assert.Equal(t, "[rule a]", RulesTag([]string{"a"}))
	assert.Equal(t, "[rules a, b]", RulesTag([]string{"a", "b"}))
}
