package conformance

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// TestRunnerGivesUpOnATargetThatDoesNotAnswer: after GiveUpAfter
// scenarios in a row without an answer the rest are not run, each a
// skipped result that says why; a target that answers, however wrongly,
// runs every scenario.
func TestRunnerGivesUpOnATargetThatDoesNotAnswer(t *testing.T) {
	var ten []*scenario.Scenario
	for i := range 10 {
		ten = append(ten, scenariotest.MustParse(t, fmt.Sprintf("hostile/%d", i), hostileScenarios[0]))
	}
	tests := []struct {
		name    string
		addr    func(t *testing.T) string
		after   int
		wantRun int
		wantWhy string
	}{
		{"accepts and never answers", func(t *testing.T) string { return hostileServer(t, neverAnswers) }, 3, 3, "got no answer (last: hostile/2: [expect] line 9: response: no bytes arrived; the connection ended by timeout"},
		{"trickles", func(t *testing.T) string { return hostileServer(t, trickles(time.Second)) }, 3, 3, "got no answer (last: hostile/2:"},
		{"refuses", func(t *testing.T) string { return testnet.RefusedAddr(t) }, 2, 2, "got no answer (last: hostile/1: [steps]: connect: could not connect: dial tcp "},
		{"answers wrongly", func(t *testing.T) string { return hostileServer(t, resets) }, 3, 10, ""},
		{"never gives up", func(t *testing.T) string { return hostileServer(t, neverAnswers) }, -1, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := Target{Name: "hostile", Addr: tt.addr(t), Labels: []string{"emulator"}}
			r := &Runner{Timeout: 200 * time.Millisecond, GiveUpAfter: tt.after}
			results := r.Run(t.Context(), target, ten)
			require.Len(t, results, len(ten), "every scenario has a result")
			run := 0
			for _, res := range results {
				if res.Abandoned == "" {
					run++
					assert.Equal(t, StatusFail, res.Status, res.ID)
					continue
				}
				assert.Equal(t, StatusSkip, res.Status, res.ID)
				assert.Contains(t, res.Abandoned, "target not answering: ")
				assert.Contains(t, res.Abandoned, tt.wantWhy)
				assert.Equal(t, []string{"not run: " + res.Abandoned}, res.Notes)
			}
			assert.Equal(t, tt.wantRun, run, "scenarios run")
		})
	}
}

// An expected silence that holds breaks a run of unanswered scenarios.
func TestGiveUpCountsScenariosInARow(t *testing.T) {
	answered := Result{Status: StatusPass}
	silent := func(id string) Result {
		s := scenariotest.MustParse(t, id, hostileScenarios[0])
		res := Result{ID: id, Status: StatusFail, Resolved: Resolve(s, nil),
			Capture: &Capture{Conns: []*ConnCapture{{Name: scenario.MainConn, End: scenario.EndTimeout}}}}
		return res
	}
	g := giveUp{after: 2}
	assert.Empty(t, g.note(silent("a")))
	assert.Empty(t, g.note(answered))
	assert.Empty(t, g.note(silent("b")))
	assert.Empty(t, g.note(Result{Status: StatusSkip}), "a skipped scenario neither counts nor breaks the row")
	assert.Equal(t, "target not answering: 2 scenarios in a row got no answer (last: c: no answer)", g.note(silent("c")))
}
