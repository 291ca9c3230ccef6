package conformance

import (
	"slices"
	"strings"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Outcomes returns the names of the outcomes that the override sections
// for labels declare (`outcome NAME`), in file order; none when the
// scenario expects one outcome of these targets.
func Outcomes(s *scenario.Scenario, labels []string) []string {
	var out []string
	for _, sec := range s.Sections {
		if sec.Outcome == "" || slices.Contains(out, sec.Outcome) {
			continue
		}
		if slices.ContainsFunc(sec.When, func(l string) bool { return slices.Contains(labels, l) }) {
			out = append(out, sec.Outcome)
		}
	}
	return out
}

// ResolveOutcomes resolves a scenario once per outcome its overrides
// declare for labels: each has the base, the overrides without an
// outcome, and those of its own outcome. A target passes when it shows
// any one of them. Without declared outcomes it returns Resolve's one.
func ResolveOutcomes(s *scenario.Scenario, labels []string) []*Resolved {
	names := Outcomes(s, labels)
	if len(names) == 0 {
		return []*Resolved{resolve(s, labels, "")}
	}
	out := make([]*Resolved, len(names))
	for i, name := range names {
		out[i] = resolve(s, labels, name)
	}
	return out
}

// checkOutcomes checks a capture against each outcome in turn and returns
// the first that holds, with no failures. When none holds it returns the
// nearest miss (see distance), so the report and --update work on it.
func checkOutcomes(alts []*Resolved, c *Capture) (*Resolved, []Failure) {
	var best *Resolved
	var bestFailures []Failure
	for _, r := range alts {
		failures := Check(r, c)
		if len(failures) == 0 {
			return r, nil
		}
		if best == nil || distance(failures) < distance(bestFailures) {
			best, bestFailures = r, failures
		}
	}
	return best, bestFailures
}

// distance says how far a capture is from an outcome: one per failure,
// and more than any number of those for one that misses the response
// whole (bytes where none were expected, or none where some were), since
// an outcome that differs in parts is nearer than one that expected
// another kind of answer.
func distance(failures []Failure) int {
	d := 0
	for _, f := range failures {
		d++
		if f.What == "raw" || f.What == "response" {
			d += 1000
		}
	}
	return d
}

// missedOutcomes is the note for a target that showed none of the
// declared outcomes.
func missedOutcomes(alts []*Resolved, nearest *Resolved) string {
	names := make([]string, len(alts))
	for i, r := range alts {
		names[i] = r.Outcome
	}
	return "none of the declared outcomes (" + strings.Join(names, ", ") + ") held; the failures are those of the nearest, " + nearest.Outcome
}

// widenLimits returns l keeping, per connection, as much as any of the
// outcomes needs.
func widenLimits(l limits, alts []*Resolved) limits {
	for _, r := range alts {
		for _, e := range r.Conns {
			l.keep[e.Conn] = max(l.keep[e.Conn], min(expectedSize(e), maxKeep)+keepSlack)
		}
	}
	return l
}

func firstOf(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
