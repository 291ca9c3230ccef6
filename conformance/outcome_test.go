package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/internal/testnet"
)

// raced declares two outcomes for pico-w: lost, or answered with a
// shorter body; an override without an outcome holds for both.
var raced = textScenario + lines(
	"[expect when pico-w]",
	"end fin rst",
	"[expect when pico-w]",
	"outcome lost",
	`difference "lost"`,
	`raw ""`,
	"[expect when pico-w]",
	"outcome answered",
	`difference "answered"`,
	`body "plain"`,
	"[expect when micropython]",
	`difference "mpy"`,
	`status "HTTP/1.0 200 OK\r\n"`,
)

func TestResolveOutcomes(t *testing.T) {
	s := mustParse(t, "r/raced", raced)
	tests := []struct {
		labels   []string
		outcomes []string
		main     [][]string
		diffs    [][]string
	}{
		{labels: nil, outcomes: nil, main: [][]string{{"status=HTTP/1.0 200 OK\r\n", "body=plain text from EuroPi\n", "end=fin"}}, diffs: [][]string{nil}},
		{labels: []string{"micropython"}, outcomes: nil,
			main:  [][]string{{"status=HTTP/1.0 200 OK\r\n", "body=plain text from EuroPi\n", "end=fin"}},
			diffs: [][]string{{"mpy"}}},
		{labels: []string{"micropython", "pico-w"}, outcomes: []string{"lost", "answered"},
			main: [][]string{
				{"end=fin or rst", "raw="},
				{"status=HTTP/1.0 200 OK\r\n", "body=plain", "end=fin or rst"},
			},
			diffs: [][]string{{"mpy", "lost"}, {"mpy", "answered"}}},
	}
	for _, tt := range tests {
		alts := ResolveOutcomes(s, tt.labels)
		assert.Equal(t, tt.outcomes, Outcomes(s, tt.labels), "%v", tt.labels)
		require.Len(t, alts, len(tt.main), "%v", tt.labels)
		for i, r := range alts {
			assert.Equal(t, tt.main[i], describe(r.Conns[0].Clauses), "%v #%d", tt.labels, i)
			assert.Equal(t, tt.diffs[i], r.Differences, "%v #%d", tt.labels, i)
		}
		assert.Equal(t, alts[0], Resolve(s, tt.labels), "Resolve gives the first outcome")
	}
}

func TestRunnerOutcomes(t *testing.T) {
	s := mustParse(t, "r/raced", raced)
	tests := []struct {
		name        string
		answer      string
		wantStatus  Status
		wantOutcome string
		wantDiff    string
		wantNote    string
	}{
		{name: "lost", answer: "", wantStatus: StatusDifference, wantOutcome: "lost", wantDiff: "lost"},
		{name: "answered", answer: "HTTP/1.0 200 OK\r\n\r\nplain", wantStatus: StatusDifference, wantOutcome: "answered", wantDiff: "answered"},
		{name: "neither", answer: "HTTP/1.0 200 OK\r\n\r\nplain text from EuroPi\n", wantStatus: StatusFail,
			wantNote: "none of the declared outcomes (lost, answered) held; the failures are those of the nearest, answered"},
	}
	r := Runner{Retry: RetryPolicy{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.Serve(t, testnet.Answer(tt.answer))
			res := r.RunScenario(t.Context(), Target{Name: "fake", Addr: addr, Labels: []string{"pico-w"}}, s)
			assert.Equal(t, tt.wantStatus, res.Status, "%v", res.Failures)
			assert.Equal(t, tt.wantOutcome, res.Outcome)
			if tt.wantDiff != "" {
				assert.Equal(t, []string{tt.wantDiff}, res.Differences)
				assert.Equal(t, tt.wantOutcome, res.Resolved.Outcome)
			}
			if tt.wantNote != "" {
				assert.Contains(t, res.Notes, tt.wantNote)
				require.Len(t, res.Failures, 1)
				assert.Equal(t, "body", res.Failures[0].What)
			}
		})
	}
}

func TestUpdateOverrideWritesIntoTheNearestOutcome(t *testing.T) {
	s := mustParse(t, "r/raced", raced)
	addr := testnet.Serve(t, testnet.Answer("HTTP/1.0 200 OK\r\n\r\nplain!"))
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "fake", Addr: addr, Labels: []string{"pico-w"}}, s)
	require.Equal(t, StatusFail, res.Status)
	changes, left := UpdateOverride(res, "pico-w")
	assert.Empty(t, left)
	require.Len(t, changes, 1)
	assert.Equal(t, "expect when pico-w", changes[0].Section)
	sec := s.Sections[3]
	assert.Equal(t, "answered", sec.Outcome)
	assert.Equal(t, `body "plain!"`+"\n", scenario.FormatClauses(sec.Clauses...))
	_, err := scenario.Parse(s.ID, scenario.Format(s))
	assert.NoError(t, err, "the updated scenario still parses")
}
