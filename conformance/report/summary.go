package report

import (
	"fmt"
	"time"

	"github.com/europi-http/europi-http/conformance"
)

// Summary counts the outcomes of one target's run.
type Summary struct {
	// Total is the number of scenarios run or skipped.
	Total int `json:"total"`
	// Passed, Differences, Failed and Skipped count the statuses.
	Passed      int `json:"passed"`
	Differences int `json:"expected_differences"`
	Failed      int `json:"failed"`
	Skipped     int `json:"skipped"`
	// Retries counts retried attempts over all scenarios.
	Retries int `json:"retries"`
	// Duration is the sum of the scenarios' durations.
	Duration time.Duration `json:"-"`
}

// Summarize counts results.
func Summarize(results []conformance.Result) Summary {
	var s Summary
	for _, r := range results {
		s.Total++
		s.Retries += r.Retries
		s.Duration += r.Duration
		switch r.Status {
		case conformance.StatusPass:
			s.Passed++
		case conformance.StatusDifference:
			s.Differences++
		case conformance.StatusFail:
			s.Failed++
		case conformance.StatusSkip:
			s.Skipped++
		}
	}
	return s
}

// OK reports whether the run may exit 0: nothing failed.
func (s Summary) OK() bool { return s.Failed == 0 }

// String renders the counts in one line.
func (s Summary) String() string {
	return fmt.Sprintf("%d scenarios: %d passed, %d expected differences, %d failed, %d skipped; %d retries; %s",
		s.Total, s.Passed, s.Differences, s.Failed, s.Skipped, s.Retries, s.Duration.Round(time.Millisecond))
}
