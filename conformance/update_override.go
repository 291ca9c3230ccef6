package conformance

import (
	"bytes"
	"slices"

	"github.com/europi-http/europi-http/conformance/response"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// groupFix is one group of one connection's expectation that --update
// writes into an override.
type groupFix struct {
	conn, key string // key as groupSet keys it: "status", "body", "at MARK"
	fails     []Failure
}

// UpdateOverride is Update for a target that differs from the base by
// design, such as the emulator under a device profile or a labelled device:
// each failing expectation is written, from what the target sent, into an
// override for label ([expect CONN when LABEL], [device when LABEL]),
// created when missing, so the base sections stay as they are. A clause
// already written in a section naming label is rewritten in place, as
// Update does; a connection that got no byte where a response was expected
// gets `raw ""`, and a body the failing matchers cannot describe is
// stated exactly. The override states each group it changes completely.
// New sections have no difference or rule lines: a person writes why the
// target differs (NeedsDifference finds them).
func UpdateOverride(res Result, label string) (changes []Change, left []Failure) {
	s := res.Scenario
	var inPlace []Failure
	var fixes []*groupFix
	add := func(conn, key string, f Failure) {
		i := slices.IndexFunc(fixes, func(g *groupFix) bool { return g.conn == conn && g.key == key })
		if i < 0 {
			fixes = append(fixes, &groupFix{conn: conn, key: key})
			i = len(fixes) - 1
		}
		fixes[i].fails = append(fixes[i].fails, f)
	}
	for _, f := range res.Failures {
		switch {
		case f.cut:
			left = append(left, f) // the bytes to write were not kept
		case f.ref != nil && slices.Contains(f.ref.Section.When, label):
			inPlace = append(inPlace, f)
		case f.What == "response" && f.ref == nil && f.Conn != "":
			add(f.Conn, "raw", f) // nothing came where a response was expected
		case f.What == "escapes" && f.ref == nil:
			add("", "escapes", f)
		case !f.Updatable() && (f.ref == nil || f.ref.Kind.Group() != "body"):
			left = append(left, f) // a body can be stated exactly instead
		default:
			key := f.ref.Kind.Group()
			if f.ref.Kind == scenario.ClauseAt {
				key += " " + f.ref.Mark
			}
			add(f.Conn, key, f)
		}
	}
	changes, left2 := Update(Result{ID: res.ID, Scenario: s, Capture: res.Capture, Failures: inPlace})
	left = append(left, left2...)
	for _, g := range fixes {
		fresh, ok := g.clauses(res)
		if !ok {
			left = append(left, g.fails...)
			continue
		}
		sec := overrideSection(s, g.conn, label, outcomeOf(res.Resolved))
		removeGroup(sec, g.key)
		sec.Clauses = append(sec.Clauses, fresh...)
		old := scenario.FormatClauses(stripComments(effectiveGroupRefs(res.Resolved, g.conn, g.key))...)
		changes = append(changes, Change{ID: s.ID, Section: sec.Header(), Old: old, New: scenario.FormatClauses(fresh...)})
	}
	return changes, left
}

// clauses builds the group's new clauses from the capture; false when one
// of them cannot be written from it.
func (g *groupFix) clauses(res Result) ([]scenario.Clause, bool) {
	c := res.Capture
	switch g.key {
	case "raw":
		return []scenario.Clause{{Kind: scenario.ClauseRaw, Bytes: scenario.LinesOf(connData(c, g.conn))}}, true
	case "escapes":
		return []scenario.Clause{{Kind: scenario.ClauseEscapes, N: len(c.Escapes)}}, true
	case "header":
		var out []scenario.Clause
		header := response.Split(connData(c, g.conn)).Header
		for _, line := range bytes.SplitAfter(bytes.TrimSuffix(header, crlf), crlf) {
			if len(line) > 0 {
				out = append(out, scenario.Clause{Kind: scenario.ClauseHeader, Bytes: scenario.B(string(line))})
			}
		}
		return out, len(out) > 0
	}
	// Every other group is copied from the clauses in effect, with the
	// failing ones set from the capture.
	effective := effectiveGroupRefs(res.Resolved, g.conn, g.key)
	out := stripComments(effective)
	for _, f := range g.fails {
		i := slices.IndexFunc(effective, func(ef Effective) bool {
			return ef.Section == f.ref.Section && ef.Index == f.ref.Index
		})
		if i >= 0 && updateClause(&out[i], f, c) {
			continue
		}
		if g.key != "body" {
			return nil, false
		}
		// A body the matchers cannot describe (an error page expected,
		// text came) is stated exactly: the override says it whole.
		return []scenario.Clause{{Kind: scenario.ClauseBody, Bytes: scenario.LinesOf(response.Split(connData(c, g.conn)).Body)}}, true
	}
	return out, len(out) > 0
}

// effectiveGroupRefs returns the clauses of a group in effect for a
// connection ("" for the device section).
func effectiveGroupRefs(r *Resolved, conn, key string) []Effective {
	if r == nil {
		return nil
	}
	all := r.Device
	if conn != "" {
		all = nil
		for _, e := range r.Conns {
			if e.Conn == conn {
				all = e.Clauses
			}
		}
	}
	var out []Effective
	for _, ef := range all {
		k := ef.Kind.Group()
		if ef.Kind == scenario.ClauseAt {
			k += " " + ef.Mark
		}
		if k == key || (key == "raw" && slices.Contains(responseRivals["raw"], k)) {
			out = append(out, ef)
		}
	}
	return out
}

// stripComments copies clauses without the comments of the lines they
// were copied from.
func stripComments(efs []Effective) []scenario.Clause {
	out := make([]scenario.Clause, len(efs))
	for i, ef := range efs {
		out[i] = ef.Clause
		out[i].Comment = nil
	}
	return out
}

// overrideSection returns the section that overrides conn's expectation
// (or the device section, conn "") for exactly label and outcome, adding
// it when missing: an expect override after the last expect section, a
// device override at the end.
func overrideSection(s *scenario.Scenario, conn, label, outcome string) *scenario.Section {
	kind := scenario.SectionExpect
	if conn == "" {
		kind = scenario.SectionDevice
	}
	for _, sec := range s.Sections {
		if sec.Kind == kind && sec.Conn == conn && slices.Equal(sec.When, []string{label}) && sec.Outcome == outcome {
			return sec
		}
	}
	sec := &scenario.Section{Kind: kind, Conn: conn, When: []string{label}, Outcome: outcome}
	at := len(s.Sections)
	if kind == scenario.SectionExpect {
		at = 0
		for i, other := range s.Sections {
			if other.Kind == scenario.SectionExpect {
				at = i + 1
			}
		}
	}
	s.Sections = slices.Insert(s.Sections, at, sec)
	return sec
}

// removeGroup deletes a group's clauses from a section, and those of the
// groups that state the response the other way.
func removeGroup(sec *scenario.Section, key string) {
	sec.Clauses = slices.DeleteFunc(sec.Clauses, func(c scenario.Clause) bool {
		k := c.Kind.Group()
		if c.Kind == scenario.ClauseAt {
			k += " " + c.Mark
		}
		return k == key || slices.Contains(responseRivals[key], k)
	})
}

// NeedsDifference reports whether the scenario has overrides for label
// and none of them says why the target differs: UpdateOverride writes
// sections that need a person's difference and rule lines.
func NeedsDifference(s *scenario.Scenario, label string) bool {
	found := false
	for _, sec := range s.Sections {
		if !slices.Contains(sec.When, label) {
			continue
		}
		if sec.Difference != "" {
			return false
		}
		found = true
	}
	return found
}

// outcomeOf returns the outcome a resolution describes ("" for none).
func outcomeOf(r *Resolved) string {
	if r == nil {
		return ""
	}
	return r.Outcome
}
