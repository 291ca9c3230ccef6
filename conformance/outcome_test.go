package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// raced declares two outcomes for pico-w: lost, or answered with a
// shorter body; an override without an outcome holds for both.
var raced = scenariotest.TextScenario + scenariotest.Lines(
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
	s := scenariotest.MustParse(t, "r/raced", raced)
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
	s := scenariotest.MustParse(t, "r/raced", raced)
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
	s := scenariotest.MustParse(t, "r/raced", raced)
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

// twoRaces has two connections, each lost or answered by a race of its
// own, and a device clause that holds for both outcomes.
var twoRaces = scenariotest.Lines(
	"[scenario]",
	`description "d"`,
	`rule routes "r"`,
	"[steps]",
	`send a "GET /text HTTP/1.0\r\n\r\n"`,
	`send b "GET /text HTTP/1.0\r\n\r\n"`,
	"[expect a]",
	`status "HTTP/1.0 200 OK\r\n"`,
	"[expect b]",
	`status "HTTP/1.0 200 OK\r\n"`,
	"[expect a when pico-w]",
	"outcome lost",
	`difference "lost"`,
	`raw ""`,
	"[expect b when pico-w]",
	"outcome lost",
	`raw ""`,
	"[expect a when pico-w]",
	"outcome answered",
	`difference "answered"`,
	"end fin",
	"[expect b when pico-w]",
	"outcome answered",
	"end fin",
)

func TestCheckOutcomesPerConnection(t *testing.T) {
	s := scenariotest.MustParse(t, "r/two", twoRaces)
	alts := ResolveOutcomes(s, []string{"pico-w"})
	require.Len(t, alts, 2)
	conn := func(name, data string) *ConnCapture {
		return &ConnCapture{Name: name, Data: []byte(data), End: scenario.EndFIN}
	}
	ok := "HTTP/1.0 200 OK\r\n\r\n"
	tests := []struct {
		name      string
		a, b      string
		want      string
		wantDiffs []string
		wantFail  bool
	}{
		{name: "both lost", want: "lost", wantDiffs: []string{"lost"}},
		{name: "both answered", a: ok, b: ok, want: "answered", wantDiffs: []string{"answered"}},
		{name: "a mix", a: ok, want: "answered (a), lost (b)", wantDiffs: []string{"answered", "lost"}},
		{name: "neither for b", a: ok, b: "HTTP/1.0 404 Not Found\r\n\r\n", wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkOutcomes(alts, &Capture{Conns: []*ConnCapture{conn("a", tt.a), conn("b", tt.b)}})
			if tt.wantFail {
				assert.NotEmpty(t, got.failures)
				assert.Empty(t, got.outcome)
				return
			}
			assert.Empty(t, got.failures)
			assert.Equal(t, tt.want, got.outcome)
			assert.Equal(t, tt.wantDiffs, got.differences)
		})
	}
}
