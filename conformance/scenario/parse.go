package scenario

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ParseError is a scenario file that cannot be read, with where.
type ParseError struct {
	// ID is the scenario's ID (its path without extension).
	ID string
	// Line is the 1-based line, 0 for the file as a whole.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error returns "ID.scenario:LINE: MSG".
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s%s: %s", e.ID, FileExt, e.Msg)
	}
	return fmt.Sprintf("%s%s:%d: %s", e.ID, FileExt, e.Line, e.Msg)
}

// parser holds the state of one Parse.
type parser struct {
	s        *Scenario
	section  string   // "", "scenario", "inputs", "steps", "expect", "device"
	cur      *Section // the current expect or device section
	comments []string // comment lines waiting for the next item
	cont     *Bytes   // the Bytes a continuation line extends
	seen     map[string]bool
	line     int
}

// Parse reads one scenario file. id becomes Scenario.ID and names the file
// in errors. The result is validated: a scenario that Parse returns can be
// run.
func Parse(id string, data []byte) (*Scenario, error) {
	p := &parser{s: &Scenario{ID: id}, seen: map[string]bool{}}
	text := string(data)
	if !strings.HasSuffix(text, "\n") && text != "" {
		text += "\n"
	}
	lines := strings.Split(text, "\n")
	lines = lines[:len(lines)-1]
	for i, line := range lines {
		p.line = i + 1
		if err := p.parseLine(line); err != nil {
			return nil, &ParseError{ID: id, Line: p.line, Msg: err.Error()}
		}
	}
	p.s.Trailer = p.comments
	if err := validate(p.s); err != nil {
		return nil, err
	}
	return p.s, nil
}

// parseLine handles one line of the file.
func (p *parser) parseLine(line string) error {
	trimmed := strings.TrimLeft(line, " \t")
	if strings.TrimRight(trimmed, " \t\r") == "" {
		p.cont = nil
		return nil
	}
	if trimmed[0] == '#' {
		c := strings.TrimRight(trimmed[1:], "\r")
		p.comments = append(p.comments, strings.TrimPrefix(c, " "))
		p.cont = nil
		return nil
	}
	if trimmed[0] == '[' {
		p.cont = nil
		return p.header(strings.TrimRight(trimmed, " \t\r"))
	}
	toks, err := lexLine(line)
	if err != nil {
		return err
	}
	if len(trimmed) != len(line) {
		return p.continuation(toks)
	}
	p.cont = nil
	switch p.section {
	case "":
		return fmt.Errorf("%q before the first section; a file starts with [scenario]", toks[0].text)
	case "scenario":
		return p.scenarioLine(toks)
	case "inputs":
		return p.inputLine(toks)
	case "steps":
		return p.stepLine(toks)
	default:
		return p.sectionLine(toks)
	}
}

// continuation appends an indented line of strings to the previous line's
// byte string.
func (p *parser) continuation(toks []token) error {
	if p.cont == nil {
		return fmt.Errorf("indented line does not continue a byte string")
	}
	for i, t := range toks {
		if !t.quoted {
			return fmt.Errorf("a continuation line holds only quoted strings, got %q", t.text)
		}
		p.cont.Parts = append(p.cont.Parts, t.part(i == 0))
	}
	return nil
}

// takeComments returns the pending comment lines and clears them.
func (p *parser) takeComments() []string {
	c := p.comments
	p.comments = nil
	return c
}

// sectionOrder is where each section may appear: [scenario], then
// [inputs] if any, then [steps], then any number of [expect] and [device].
var sectionOrder = map[string]int{"scenario": 0, "inputs": 1, "steps": 2, "expect": 3, "device": 3}

// header starts a new section.
func (p *parser) header(line string) error {
	if !strings.HasSuffix(line, "]") {
		return fmt.Errorf("section header %q does not end with ]", line)
	}
	words := strings.Fields(line[1 : len(line)-1])
	if len(words) == 0 {
		return fmt.Errorf("empty section header")
	}
	kind := words[0]
	order, ok := sectionOrder[kind]
	if !ok {
		return fmt.Errorf("unknown section [%s]; want scenario, inputs, steps, expect or device", kind)
	}
	if prev, ok := sectionOrder[p.section]; ok && p.section != "" && order < prev {
		return fmt.Errorf("[%s] after [%s]; sections go scenario, inputs, steps, then expect and device", kind, p.section)
	}
	if p.section == "" && kind != "scenario" {
		return fmt.Errorf("the file must start with [scenario], not [%s]", kind)
	}
	if p.section == "inputs" && len(p.s.Inputs) == 0 {
		return fmt.Errorf("[inputs] sets nothing: give NAME VALUE lines, or leave the section out")
	}
	p.section = kind
	p.cur = nil
	switch kind {
	case "scenario", "inputs", "steps":
		if len(words) > 1 {
			return fmt.Errorf("[%s] takes no arguments", kind)
		}
		if p.seen[kind] {
			return fmt.Errorf("a second [%s] section", kind)
		}
		p.seen[kind] = true
		if kind == "scenario" {
			p.s.Comment = p.takeComments()
		} else if len(p.comments) > 0 {
			return fmt.Errorf("comments before [%s] belong inside [scenario] or after [steps]", kind)
		}
		return nil
	}
	sec := &Section{Kind: SectionKind(kind), Comment: p.takeComments(), Line: p.line}
	rest := words[1:]
	if kind == "expect" {
		sec.Conn = MainConn
		if len(rest) > 0 && rest[0] != "when" {
			if err := checkName("connection", rest[0]); err != nil {
				return err
			}
			sec.Conn = rest[0]
			rest = rest[1:]
		}
	}
	if len(rest) > 0 {
		if rest[0] != "when" || len(rest) == 1 {
			return fmt.Errorf("want [%s when LABEL...], got %q", kind, line)
		}
		for _, l := range rest[1:] {
			if err := checkName("label", l); err != nil {
				return err
			}
			sec.When = append(sec.When, l)
		}
	}
	p.cur = sec
	p.s.Sections = append(p.s.Sections, sec)
	return nil
}

// namePattern is what connection, mark and label names look like.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// CheckLabel reports whether label can name targets in a section header
// ("when LABEL"): lower-case letters, digits, - and _, starting with a
// letter.
func CheckLabel(label string) error { return checkName("label", label) }

// checkName rejects names that would not read back the same.
func checkName(what, name string) error {
	if !namePattern.MatchString(name) || name == "when" || name == "may-fail" {
		return fmt.Errorf("bad %s name %q: want lower-case letters, digits, - and _, starting with a letter", what, name)
	}
	return nil
}

// args walks the arguments of one line after its keyword.
type args struct {
	kw   string
	toks []token
}

func (a *args) more() bool { return len(a.toks) > 0 }

func (a *args) word(what string) (string, error) {
	if len(a.toks) == 0 || a.toks[0].quoted {
		return "", fmt.Errorf("%s: want %s", a.kw, what)
	}
	w := a.toks[0].text
	a.toks = a.toks[1:]
	return w, nil
}

func (a *args) str(what string) (string, error) {
	if len(a.toks) == 0 || !a.toks[0].quoted || a.toks[0].repeat > 0 {
		return "", fmt.Errorf("%s: want %s as a quoted string", a.kw, what)
	}
	s := a.toks[0].text
	a.toks = a.toks[1:]
	return s, nil
}

func (a *args) num(what string) (int, error) {
	w, err := a.word(what)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %s %q is not a whole number", a.kw, what, w)
	}
	return n, nil
}

// bytes takes every remaining token as the parts of a byte string.
func (a *args) bytes() (Bytes, error) {
	if len(a.toks) == 0 {
		return Bytes{}, fmt.Errorf("%s: want a quoted byte string", a.kw)
	}
	var b Bytes
	for _, t := range a.toks {
		if !t.quoted {
			return Bytes{}, fmt.Errorf("%s: %q after the byte string; flags go before it", a.kw, t.text)
		}
		b.Parts = append(b.Parts, t.part(false))
	}
	a.toks = nil
	return b, nil
}

func (a *args) done() error {
	if len(a.toks) > 0 {
		return fmt.Errorf("%s: unexpected %q", a.kw, a.toks[0].text)
	}
	return nil
}

// keyword returns a line's first word and the rest as args.
func keyword(toks []token) (string, *args, error) {
	if toks[0].quoted {
		return "", nil, fmt.Errorf("a line starts with a keyword, not a string")
	}
	return toks[0].text, &args{kw: toks[0].text, toks: toks[1:]}, nil
}

// rule parses `rule SOURCE "TEXT"`.
func (p *parser) rule(a *args) (Rule, error) {
	src, err := a.word("a source (behaviour, api or routes)")
	if err != nil {
		return Rule{}, err
	}
	if _, ok := RuleSources[src]; !ok {
		return Rule{}, fmt.Errorf("rule: unknown source %q; want behaviour, api or routes", src)
	}
	text, err := a.str("the quoted sentence")
	if err != nil {
		return Rule{}, err
	}
	if strings.TrimSpace(text) == "" {
		return Rule{}, fmt.Errorf("rule: empty sentence")
	}
	return Rule{Source: src, Text: text, Comment: p.takeComments(), Line: p.line}, a.done()
}
