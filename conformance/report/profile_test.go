package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// profiledRuns is one target under a device profile: an expected
// difference, a failure and a pass with the events behind them.
func profiledRuns(t *testing.T) []TargetResults {
	s := scenariotest.MustParse(t, "get/text", scenariotest.TextScenario)
	lost := conformance.ProfileEvent{Peer: "127.0.0.1:5", Rule: "accept-timeout-0", Kind: conformance.ProfileEventLost, Text: "127.0.0.1:5 pico-w would have lost this request"}
	wait := conformance.ProfileEvent{Peer: "127.0.0.1:6", Rule: "park-until-tick", Kind: "wait", Text: "127.0.0.1:6 pico-w would have waited"}
	fail := conformance.Failure{Conn: scenario.MainConn, Section: "expect when pico-w", Line: 12, What: "end", Offset: -1, Detail: "expected fin, actual rst"}
	results := []conformance.Result{
		{ID: "get/text", Target: "emulator/pico-w", Status: conformance.StatusDifference, Differences: []string{"lost"}, ProfileEvents: []conformance.ProfileEvent{lost}},
		{ID: "get/json", Target: "emulator/pico-w", Status: conformance.StatusFail, Scenario: s, Failures: []conformance.Failure{fail}, ProfileEvents: []conformance.ProfileEvent{lost, wait}},
		{ID: "get/csv", Target: "emulator/pico-w", Status: conformance.StatusPass, ProfileEvents: []conformance.ProfileEvent{wait}},
	}
	return []TargetResults{{Target: conformance.Target{Name: "emulator/pico-w", Addr: "127.0.0.1:1", Labels: []string{"emulator", "cpython", "pico-w"}, Profile: "pico-w"}, Results: results}}
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
