package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/europi-http/europi-http/conformance"
)

// TextReport writes one line per scenario as it finishes, the details of
// every failure, and a summary line per target. On a target under a device
// profile, a line that is not a plain pass ends with the profile rules that
// acted on the scenario ("xdiff get/text 3ms [rule accept-timeout-0]"), and
// the details list what each did.
type TextReport struct {
	// W gets the report.
	W io.Writer
	// Verbose adds notes, declared differences and profile events for
	// passing scenarios.
	Verbose bool
	// ShowTarget starts each line with the target's name, for runs
	// against several targets.
	ShowTarget bool
}

// statusWord is the fixed-width word a result line starts with.
func statusWord(s conformance.Status) string {
	switch s {
	case conformance.StatusPass:
		return "pass "
	case conformance.StatusDifference:
		return "xdiff"
	case conformance.StatusSkip:
		return "skip "
	}
	return "FAIL "
}

// Result writes one result: its line, then for a failure each failed
// expectation with expected and actual bytes side by side.
func (t *TextReport) Result(r conformance.Result) {
	line := fmt.Sprintf("%s %-40s %8s", statusWord(r.Status), r.ID, r.Duration.Round(time.Millisecond))
	if t.ShowTarget {
		line = fmt.Sprintf("%-12s %s", r.Target, line)
	}
	if rules := r.ProfileRules(); len(rules) > 0 && (r.Status != conformance.StatusPass || t.Verbose) {
		line += "  " + RulesTag(rules)
	}
	if r.Outcome != "" {
		line += "  [outcome " + r.Outcome + "]"
	}
	if r.Retries > 0 {
		line += fmt.Sprintf("  (%d retries: %s)", r.Retries, strings.Join(r.RetryReasons, "; "))
	}
	fmt.Fprintln(t.W, line)
	indent := "      "
	if r.Status == conformance.StatusDifference && t.Verbose {
		for _, d := range r.Differences {
			fmt.Fprintln(t.W, indent+"expected difference: "+d)
		}
	}
	if r.Status == conformance.StatusSkip || t.Verbose || r.Status == conformance.StatusFail {
		for _, n := range r.Notes {
			fmt.Fprintln(t.W, indent+"note: "+n)
		}
	}
	if r.Status != conformance.StatusFail {
		if t.Verbose {
			t.profileEvents(r)
		}
		return
	}
	if r.Scenario != nil {
		fmt.Fprintln(t.W, indent+r.Scenario.Description)
		for _, rule := range r.Scenario.Rules {
			fmt.Fprintf(t.W, "%srule (%s): %s\n", indent, rule.Source, rule.Text)
		}
	}
	for _, f := range r.Failures {
		for _, l := range strings.Split(strings.TrimRight(f.Explain(), "\n"), "\n") {
			fmt.Fprintln(t.W, indent+l)
		}
	}
	t.profileEvents(r)
}

// profileEvents writes what the device profile did to the scenario.
func (t *TextReport) profileEvents(r conformance.Result) {
	for _, e := range r.ProfileEvents {
		fmt.Fprintln(t.W, "      profile: "+e.Text)
	}
}

// RulesTag renders profile rule names as a report line shows them:
// "[rule accept-timeout-0]", "[rules park-until-tick, connection-limit]".
func RulesTag(rules []string) string {
	if len(rules) == 1 {
		return "[rule " + rules[0] + "]"
	}
	return "[rules " + strings.Join(rules, ", ") + "]"
}

// Summary writes a target's summary line.
func (t *TextReport) Summary(target string, results []conformance.Result) {
	s := Summarize(results)
	verdict := "ok"
	if !s.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(t.W, "%s %s: %s\n", verdict, target, s)
}
