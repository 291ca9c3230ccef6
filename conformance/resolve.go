package conformance

import (
	"slices"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Resolved is a scenario's expectation for one set of target labels: the
// base sections with the matching overrides applied.
type Resolved struct {
	// Scenario is the scenario resolved.
	Scenario *scenario.Scenario
	// Conns holds one expectation per connection, in order of first use
	// in the steps.
	Conns []*Expectation
	// Device holds the escapes clauses that apply.
	Device []Effective
	// Applied are the override sections that matched, in the order applied.
	Applied []*scenario.Section
	// Differences are the Difference texts of the applied overrides.
	Differences []string
	// Outcome is the outcome this resolution describes, when the
	// overrides for the labels declare several (see ResolveOutcomes);
	// "" otherwise.
	Outcome string
}

// Expectation is what one connection must see.
type Expectation struct {
	// Conn is the connection's name.
	Conn string
	// Clauses are the clauses in effect.
	Clauses []Effective
}

// Effective is a clause in effect and where it comes from, so a failure
// names its section and line and --update edits the right place.
type Effective struct {
	scenario.Clause
	// Section is the section the clause is written in.
	Section *scenario.Section
	// Index is the clause's index in Section.Clauses.
	Index int
}

// groupSet is an ordered map from override group to its clauses.
type groupSet struct {
	order  []string
	groups map[string][]Effective
}

func (g *groupSet) replace(sec *scenario.Section) {
	fresh := map[string][]Effective{}
	var order []string
	for i, c := range sec.Clauses {
		key := c.Kind.Group()
		if c.Kind == scenario.ClauseAt {
			key += " " + c.Mark
		}
		if _, ok := fresh[key]; !ok {
			order = append(order, key)
		}
		fresh[key] = append(fresh[key], Effective{Clause: c, Section: sec, Index: i})
	}
	for _, key := range order {
		// raw states the response whole, status, header and body in
		// parts: a section that states it one way replaces the other,
		// so an override's `raw ""` says that no response came at all.
		for _, other := range responseRivals[key] {
			if _, ok := fresh[other]; !ok {
				g.drop(other)
			}
		}
		if _, ok := g.groups[key]; !ok {
			g.order = append(g.order, key)
		}
		g.groups[key] = fresh[key]
	}
}

// responseRivals maps each group that states the response to the groups
// that state it the other way.
var responseRivals = map[string][]string{
	"raw":    {"status", "header", "body"},
	"status": {"raw"},
	"header": {"raw"},
	"body":   {"raw"},
}

// drop forgets a group.
func (g *groupSet) drop(key string) {
	if _, ok := g.groups[key]; !ok {
		return
	}
	delete(g.groups, key)
	g.order = slices.DeleteFunc(g.order, func(k string) bool { return k == key })
}

func (g *groupSet) clauses() []Effective {
	var out []Effective
	for _, key := range g.order {
		out = append(out, g.groups[key]...)
	}
	return out
}

// Resolve applies a scenario's overrides for a target with the given labels.
// It starts from the base sections; then, for each label in order, each
// override section naming that label (in file order, each section at most
// once) replaces the groups it states: status, header (all header lines),
// raw, body (every body matcher together), end, at per mark, and escapes.
// raw and the status, header and body groups state the response two ways,
// so a section stating one of them replaces the other way as well.
// When the overrides declare outcomes, Resolve describes the first; see
// ResolveOutcomes.
func Resolve(s *scenario.Scenario, labels []string) *Resolved {
	return resolve(s, labels, firstOf(Outcomes(s, labels)))
}

// resolve is Resolve for one outcome: override sections of other
// outcomes are left out.
func resolve(s *scenario.Scenario, labels []string, outcome string) *Resolved {
	r := &Resolved{Scenario: s, Outcome: outcome}
	sets := map[string]*groupSet{}
	key := func(sec *scenario.Section) string { return string(sec.Kind) + " " + sec.Conn }
	get := func(sec *scenario.Section) *groupSet {
		k := key(sec)
		if sets[k] == nil {
			sets[k] = &groupSet{groups: map[string][]Effective{}}
		}
		return sets[k]
	}
	for _, sec := range s.Sections {
		if !sec.IsOverride() {
			get(sec).replace(sec)
		}
	}
	applied := map[*scenario.Section]bool{}
	for _, label := range labels {
		for _, sec := range s.Sections {
			if applied[sec] || !slices.Contains(sec.When, label) || (sec.Outcome != "" && sec.Outcome != outcome) {
				continue
			}
			applied[sec] = true
			get(sec).replace(sec)
			r.Applied = append(r.Applied, sec)
			if sec.Difference != "" {
				r.Differences = append(r.Differences, sec.Difference)
			}
		}
	}
	for _, conn := range connOrder(s) {
		g := sets[key(&scenario.Section{Kind: scenario.SectionExpect, Conn: conn})]
		e := &Expectation{Conn: conn}
		if g != nil {
			e.Clauses = g.clauses()
		}
		r.Conns = append(r.Conns, e)
	}
	if g := sets[key(&scenario.Section{Kind: scenario.SectionDevice})]; g != nil {
		r.Device = g.clauses()
	}
	return r
}

// connOrder returns the connections the steps use, in order of first use.
func connOrder(s *scenario.Scenario) []string {
	var out []string
	for _, st := range s.Steps {
		if st.Conn != "" && !slices.Contains(out, st.Conn) {
			out = append(out, st.Conn)
		}
	}
	return out
}
