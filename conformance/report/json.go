package report

import (
	"encoding/json"
	"io"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// JSON report types. Byte strings are written Go-quoted (the *_quoted
// fields), because JSON strings cannot carry invalid UTF-8 and a reader
// must see exactly which bytes came.
type (
	jsonReport struct {
		Targets []jsonTarget `json:"targets"`
	}
	jsonTarget struct {
		Name    string       `json:"name"`
		Addr    string       `json:"addr"`
		Labels  []string     `json:"labels"`
		Profile string       `json:"profile,omitempty"`
		Summary Summary      `json:"summary"`
		Results []jsonResult `json:"results"`
	}
	jsonResult struct {
		ID           string             `json:"id"`
		Status       conformance.Status `json:"status"`
		DurationMS   float64            `json:"duration_ms"`
		Retries      int                `json:"retries"`
		RetryReasons []string           `json:"retry_reasons,omitempty"`
		Differences  []string           `json:"expected_differences,omitempty"`
		Outcome      string             `json:"outcome,omitempty"`
		Notes        []string           `json:"notes,omitempty"`
		// ProfileRules and ProfileEvents say what a device profile's
		// rules did to the scenario's connections.
		ProfileRules  []string      `json:"profile_rules,omitempty"`
		ProfileEvents []string      `json:"profile_events,omitempty"`
		Failures      []jsonFailure `json:"failures,omitempty"`
	}
	jsonFailure struct {
		Conn           string `json:"conn,omitempty"`
		Section        string `json:"section,omitempty"`
		Line           int    `json:"line,omitempty"`
		What           string `json:"what"`
		Detail         string `json:"detail,omitempty"`
		ExpectedQuoted string `json:"expected_quoted,omitempty"`
		ActualQuoted   string `json:"actual_quoted,omitempty"`
		Offset         *int   `json:"offset,omitempty"`
	}
)

// WriteJSON writes the runs as one JSON document: per target its summary
// and every result with its failures.
func WriteJSON(w io.Writer, runs []TargetResults) error {
	rep := jsonReport{Targets: []jsonTarget{}}
	for _, run := range runs {
		jt := jsonTarget{Name: run.Target.Name, Addr: run.Target.Addr, Labels: run.Target.Labels, Profile: run.Target.Profile,
			Summary: Summarize(run.Results), Results: []jsonResult{}}
		if jt.Labels == nil {
			jt.Labels = []string{}
		}
		for _, r := range run.Results {
			jr := jsonResult{ID: r.ID, Status: r.Status, Retries: r.Retries, RetryReasons: r.RetryReasons,
				Differences: r.Differences, Outcome: r.Outcome, Notes: r.Notes, ProfileRules: r.ProfileRules(),
				DurationMS: float64(r.Duration.Microseconds()) / 1000}
			for _, e := range r.ProfileEvents {
				jr.ProfileEvents = append(jr.ProfileEvents, e.Text)
			}
			for _, f := range r.Failures {
				jf := jsonFailure{Conn: f.Conn, Section: f.Section, Line: f.Line, What: f.What, Detail: f.Detail}
				if f.Expected != nil {
					jf.ExpectedQuoted = scenario.Quote(f.Expected)
				}
				if f.Actual != nil {
					jf.ActualQuoted = scenario.Quote(f.Actual)
				}
				if f.Offset >= 0 {
					off := f.Offset
					jf.Offset = &off
				}
				jr.Failures = append(jr.Failures, jf)
			}
			jt.Results = append(jt.Results, jr)
		}
		rep.Targets = append(rep.Targets, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
