package scenario

import (
	"fmt"
	"slices"
)

// validate checks what a line-by-line parse cannot: that every connection a
// step uses has a base expectation and the other way round, that steps do
// not use a connection after closing it, that marks exist, and that no
// section repeats a clause.
func validate(s *Scenario) error {
	fail := func(line int, format string, a ...any) error {
		return &ParseError{ID: s.ID, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	if s.Description == "" {
		return fail(0, "no description in [scenario]")
	}
	if len(s.Rules) == 0 {
		return fail(0, "no rule in [scenario]: name the documented sentence the scenario checks")
	}
	if len(s.Steps) == 0 {
		return fail(0, "no [steps]: a scenario sends something or at least connects")
	}

	used := map[string]bool{}
	closed := map[string]bool{}
	marks := map[string]bool{}
	for _, st := range s.Steps {
		switch st.Kind {
		case StepWait:
			continue
		case StepMark:
			if marks[st.Mark] {
				return fail(st.Line, "mark %q is set twice", st.Mark)
			}
			marks[st.Mark] = true
			continue
		case StepAwait:
			if !used[st.Conn] {
				return fail(st.Line, "await %s before the connection is used", st.Conn)
			}
			continue
		case StepConnect:
			if used[st.Conn] {
				return fail(st.Line, "connect %s: the connection is already open", st.Conn)
			}
		}
		if closed[st.Conn] {
			return fail(st.Line, "%s %s after the connection was closed", st.Kind, st.Conn)
		}
		used[st.Conn] = true
		if st.Kind == StepClose || st.Kind == StepReset {
			closed[st.Conn] = true
		}
	}

	base := map[string]bool{}
	devices := 0
	for _, sec := range s.Sections {
		if sec.Kind == SectionExpect && !used[sec.Conn] {
			return fail(sec.Line, "[%s]: no step uses connection %s", sec.Header(), sec.Conn)
		}
		if !sec.IsOverride() {
			if sec.Kind == SectionDevice {
				devices++
				if devices > 1 {
					return fail(sec.Line, "a second base [device] section")
				}
			} else {
				if base[sec.Conn] {
					return fail(sec.Line, "a second base [%s] section", sec.Header())
				}
				base[sec.Conn] = true
			}
		} else if len(sec.Clauses) == 0 {
			return fail(sec.Line, "[%s] overrides nothing: add clauses", sec.Header())
		}
		if err := validateClauses(s, sec, marks); err != nil {
			return err
		}
	}
	for conn := range used {
		if !base[conn] {
			return fail(0, "connection %s has no base [%s] section", conn, (&Section{Kind: SectionExpect, Conn: conn}).Header())
		}
	}
	return validateOutcomes(s)
}

// validateOutcomes rejects an outcome that stands alone: a scenario that
// names an outcome names at least two, or the outcome line says nothing.
func validateOutcomes(s *Scenario) error {
	var names []string
	line := 0
	for _, sec := range s.Sections {
		if sec.Outcome == "" || slices.Contains(names, sec.Outcome) {
			continue
		}
		if line == 0 {
			line = sec.Line
		}
		names = append(names, sec.Outcome)
	}
	if len(names) == 1 {
		return &ParseError{ID: s.ID, Line: line, Msg: fmt.Sprintf(
			"outcome %s is the only outcome the scenario declares: declare at least two, or drop the outcome line", names[0])}
	}
	return nil
}

// validateClauses rejects a section that states one thing twice.
func validateClauses(s *Scenario, sec *Section, marks map[string]bool) error {
	seen := map[string]bool{}
	for _, c := range sec.Clauses {
		key := string(c.Kind)
		switch c.Kind {
		case ClauseHeader:
			continue
		case ClauseAt:
			if !marks[c.Mark] {
				return &ParseError{ID: s.ID, Line: c.Line, Msg: fmt.Sprintf("at %s: no step sets mark %q", c.Mark, c.Mark)}
			}
			key += " " + c.Mark
		}
		if seen[key] {
			return &ParseError{ID: s.ID, Line: c.Line, Msg: fmt.Sprintf("[%s] states %s twice", sec.Header(), key)}
		}
		seen[key] = true
	}
	if seen[string(ClauseMessage)] && seen[string(ClauseMessageLike)] {
		return &ParseError{ID: s.ID, Line: sec.Line, Msg: fmt.Sprintf("[%s] has both message and message-like", sec.Header())}
	}
	return nil
}
