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

// outcomeCheck is what checking a capture against a scenario's outcomes
// found.
type outcomeCheck struct {
	// resolved is the outcome that held (for a mix, the main connection's),
	// or the nearest miss.
	resolved *Resolved
	// failures are the nearest miss's; none when an outcome held.
	failures []Failure
	// outcome names what held: one outcome's name, or for a mix each
	// outcome with its connections ("answered (c1, c4), lost (c2)").
	outcome string
	// differences are the Difference texts of what held.
	differences []string
}

// checkOutcomes checks a capture against each outcome in turn; the first
// that holds wins. Where none holds whole, each connection may still match
// an outcome of its own, since on a device each connection's race is its
// own: the capture passes when every connection, and the device's
// escapes, hold under some outcome. Otherwise it returns the nearest miss
// (see distance), so the report and --update work on it.
func checkOutcomes(alts []*Resolved, c *Capture) outcomeCheck {
	perAlt := make([][]Failure, len(alts))
	for i, r := range alts {
		perAlt[i] = Check(r, c)
		if len(perAlt[i]) == 0 {
			return outcomeCheck{resolved: r, outcome: r.Outcome, differences: r.Differences}
		}
	}
	if mix, ok := mixOutcomes(alts, perAlt); ok {
		return mix
	}
	best := 0
	for i := range alts {
		if distance(perAlt[i]) < distance(perAlt[best]) {
			best = i
		}
	}
	return outcomeCheck{resolved: alts[best], failures: perAlt[best], differences: alts[best].Differences}
}

// mixOutcomes finds for every connection (and for the device, "") the
// first outcome under which it has no failure, and reports whether each
// has one.
func mixOutcomes(alts []*Resolved, perAlt [][]Failure) (outcomeCheck, bool) {
	if len(alts) < 2 {
		return outcomeCheck{}, false
	}
	conns := []string{""}
	for _, e := range alts[0].Conns {
		conns = append(conns, e.Conn)
	}
	var names []string
	byName := map[string][]string{}
	var mix outcomeCheck
	for _, conn := range conns {
		k := slices.IndexFunc(perAlt, func(fs []Failure) bool {
			return !slices.ContainsFunc(fs, func(f Failure) bool { return f.Conn == conn })
		})
		if k < 0 {
			return outcomeCheck{}, false
		}
		if conn == "" {
			continue // the device's part names no connection
		}
		if mix.resolved == nil {
			mix.resolved = alts[k]
		}
		name := alts[k].Outcome
		if _, ok := byName[name]; !ok {
			names = append(names, name)
			for _, d := range alts[k].Differences {
				if !slices.Contains(mix.differences, d) {
					mix.differences = append(mix.differences, d)
				}
			}
		}
		byName[name] = append(byName[name], conn)
	}
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + " (" + strings.Join(byName[name], ", ") + ")"
	}
	mix.outcome = strings.Join(parts, ", ")
	return mix, true
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
