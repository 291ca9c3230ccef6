package scenario

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// scenarioLine parses one line of [scenario].
func (p *parser) scenarioLine(toks []token) error {
	kw, a, err := keyword(toks)
	if err != nil {
		return err
	}
	switch kw {
	case "description":
		if p.s.Description != "" {
			return fmt.Errorf("a second description")
		}
		if p.s.Description, err = a.str("the description"); err != nil {
			return err
		}
		if strings.TrimSpace(p.s.Description) == "" {
			return fmt.Errorf("empty description")
		}
		if len(p.comments) > 0 {
			return fmt.Errorf("comments inside [scenario] go before a rule, or at the top of the file")
		}
		return a.done()
	case "rule":
		r, err := p.rule(a)
		if err != nil {
			return err
		}
		p.s.Rules = append(p.s.Rules, r)
		return nil
	case "timeout":
		if p.s.Timeout != 0 {
			return fmt.Errorf("a second timeout")
		}
		w, err := a.word("a duration such as 300ms")
		if err != nil {
			return err
		}
		d, err := time.ParseDuration(w)
		if err != nil || d <= 0 {
			return fmt.Errorf("timeout: %q is not a positive duration such as 300ms", w)
		}
		if len(p.comments) > 0 {
			return fmt.Errorf("comments inside [scenario] go before a rule, or at the top of the file")
		}
		p.s.Timeout = d
		return a.done()
	}
	return fmt.Errorf("unknown [scenario] keyword %q; want description, rule or timeout", kw)
}

// stepLine parses one line of [steps].
func (p *parser) stepLine(toks []token) error {
	kw, a, err := keyword(toks)
	if err != nil {
		return err
	}
	st := Step{Kind: StepKind(kw), Comment: p.takeComments(), Line: p.line}
	conn := func() error {
		st.Conn = MainConn
		if a.more() && !a.toks[0].quoted && a.toks[0].text != "may-fail" && a.toks[0].text != "within" {
			st.Conn = a.toks[0].text
			a.toks = a.toks[1:]
			return checkName("connection", st.Conn)
		}
		return nil
	}
	switch st.Kind {
	case StepConnect:
		if err := conn(); err != nil {
			return err
		}
		if a.more() && !a.toks[0].quoted && a.toks[0].text == "within" {
			a.toks = a.toks[1:]
			w, err := a.word("a duration such as 300ms")
			if err != nil {
				return err
			}
			if st.Within, err = time.ParseDuration(w); err != nil || st.Within <= 0 {
				return fmt.Errorf("connect within: %q is not a positive duration such as 300ms", w)
			}
		}
	case StepShutdown, StepClose, StepReset, StepAwait:
		if err := conn(); err != nil {
			return err
		}
	case StepSend:
		if err := conn(); err != nil {
			return err
		}
		if a.more() && !a.toks[0].quoted && a.toks[0].text == "may-fail" {
			st.MayFail = true
			a.toks = a.toks[1:]
		}
		if st.Data, err = a.bytes(); err != nil {
			return err
		}
	case StepWait:
		w, err := a.word("a duration such as 100ms")
		if err != nil {
			return err
		}
		if st.Wait, err = time.ParseDuration(w); err != nil || st.Wait <= 0 {
			return fmt.Errorf("wait: %q is not a positive duration such as 100ms", w)
		}
	case StepMark:
		if st.Mark, err = a.word("a mark name"); err != nil {
			return err
		}
		if err := checkName("mark", st.Mark); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown step %q; want connect, send, wait, shutdown, close, reset, await or mark", kw)
	}
	if err := a.done(); err != nil {
		return err
	}
	p.s.Steps = append(p.s.Steps, st)
	if st.Kind == StepSend {
		last := &p.s.Steps[len(p.s.Steps)-1]
		p.cont = &last.Data
	}
	return nil
}

// sectionLine parses one line of an [expect] or [device] section.
func (p *parser) sectionLine(toks []token) error {
	kw, a, err := keyword(toks)
	if err != nil {
		return err
	}
	sec := p.cur
	switch kw {
	case "difference":
		if !sec.IsOverride() {
			return fmt.Errorf("difference belongs in an override section ([%s ... when LABEL])", sec.Kind)
		}
		if sec.Difference != "" {
			return fmt.Errorf("a second difference")
		}
		if sec.Difference, err = a.str("the reason"); err != nil {
			return err
		}
		if len(p.comments) > 0 {
			return fmt.Errorf("comments go before the section header, a rule or a clause")
		}
		return a.done()
	case "outcome":
		if !sec.IsOverride() {
			return fmt.Errorf("outcome belongs in an override section ([%s ... when LABEL]): the base is what every target shows", sec.Kind)
		}
		if sec.Outcome != "" {
			return fmt.Errorf("a second outcome")
		}
		if len(sec.Rules)+len(sec.Clauses) > 0 || sec.Difference != "" {
			return fmt.Errorf("outcome goes first in its section, before difference, rules and clauses")
		}
		if sec.Outcome, err = a.word("a name"); err != nil {
			return err
		}
		if err := checkName("outcome", sec.Outcome); err != nil {
			return err
		}
		if len(p.comments) > 0 {
			return fmt.Errorf("comments go before the section header, a rule or a clause")
		}
		return a.done()
	case "rule":
		r, err := p.rule(a)
		if err != nil {
			return err
		}
		sec.Rules = append(sec.Rules, r)
		return nil
	}
	c := Clause{Kind: ClauseKind(kw), Comment: p.takeComments(), Line: p.line}
	if err := parseClause(sec.Kind, &c, a); err != nil {
		return err
	}
	sec.Clauses = append(sec.Clauses, c)
	switch c.Kind {
	case ClauseRaw, ClauseStatus, ClauseHeader, ClauseBody, ClauseMessage, ClausePrefix, ClauseSuffix:
		p.cont = &sec.Clauses[len(sec.Clauses)-1].Bytes
	}
	return nil
}

// parseClause reads the arguments of one clause into c.
func parseClause(kind SectionKind, c *Clause, a *args) error {
	var err error
	device := c.Kind == ClauseEscapes || c.Kind == ClauseEscapeLike
	switch {
	case kind == SectionDevice && !device:
		return fmt.Errorf("unknown [device] keyword %q; want escapes, escape-like, outcome, difference or rule", c.Kind)
	case kind == SectionExpect && device:
		return fmt.Errorf("%s belongs in a [device] section", c.Kind)
	}
	switch c.Kind {
	case ClauseRaw, ClauseStatus, ClauseHeader, ClauseBody, ClauseMessage, ClausePrefix, ClauseSuffix:
		c.Bytes, err = a.bytes()
	case ClauseJSON:
		if c.Text, err = a.str("the JSON value"); err == nil && !json.Valid([]byte(c.Text)) {
			err = fmt.Errorf("json: %s is not valid JSON", strconv.Quote(c.Text))
		}
	case ClauseErrorPage:
		if c.N, err = a.num("the status code"); err != nil {
			return err
		}
		if c.N < 100 || c.N > 999 {
			return fmt.Errorf("error-page: status code %d is not three digits", c.N)
		}
		c.Text, err = a.str("the status text")
	case ClauseMessageLike, ClauseEscapeLike:
		if c.Text, err = a.str("the regular expression"); err != nil {
			return err
		}
		if _, rerr := regexp.Compile(c.Text); rerr != nil {
			err = fmt.Errorf("%s: %v", c.Kind, rerr)
		}
	case ClauseLength, ClauseEscapes:
		c.N, err = a.num("a count")
	case ClauseAt:
		if c.Mark, err = a.word("a mark name"); err != nil {
			return err
		}
		c.N, err = a.num("a byte count")
	case ClauseEnd:
		for a.more() && err == nil {
			var w string
			if w, err = a.word("an end"); err != nil {
				break
			}
			switch e := End(w); e {
			case EndFIN, EndRST, EndTimeout, EndClosed, EndRefused:
				c.Ends = append(c.Ends, e)
			default:
				err = fmt.Errorf("end: unknown end %q; want fin, rst, timeout, closed or refused", w)
			}
		}
		if err == nil && len(c.Ends) == 0 {
			err = fmt.Errorf("end: want one or more of fin, rst, timeout, closed, refused")
		}
	default:
		return fmt.Errorf("unknown [expect] keyword %q", c.Kind)
	}
	if err != nil {
		return err
	}
	return a.done()
}
