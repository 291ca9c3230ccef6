package scenario

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Format returns a scenario as file text in the canonical layout: sections
// in order and separated by one blank line, comments before what they
// describe, byte strings Go-quoted with their parts as they were. Parse of
// Format's output gives the same scenario back (line numbers aside), which
// is what lets --update and the recorder write files that people also edit.
func Format(s *Scenario) []byte {
	var sb strings.Builder
	writeComments(&sb, s.Comment)
	sb.WriteString("[scenario]\n")
	sb.WriteString("description " + strconv.Quote(s.Description) + "\n")
	writeRules(&sb, s.Rules)
	if s.Timeout > 0 {
		sb.WriteString("timeout " + s.Timeout.String() + "\n")
	}
	writeInputs(&sb, s.Inputs)

	sb.WriteString("\n[steps]\n")
	for _, st := range s.Steps {
		writeComments(&sb, st.Comment)
		writeStep(&sb, st)
	}

	for _, sec := range s.Sections {
		sb.WriteString("\n")
		writeComments(&sb, sec.Comment)
		sb.WriteString("[" + sec.Header() + "]\n")
		if sec.Outcome != "" {
			sb.WriteString("outcome " + sec.Outcome + "\n")
		}
		if sec.Difference != "" {
			sb.WriteString("difference " + strconv.Quote(sec.Difference) + "\n")
		}
		writeRules(&sb, sec.Rules)
		for _, c := range sec.Clauses {
			writeComments(&sb, c.Comment)
			writeClause(&sb, c)
		}
	}
	if len(s.Trailer) > 0 {
		sb.WriteString("\n")
		writeComments(&sb, s.Trailer)
	}
	return []byte(sb.String())
}

// writeComments writes comment lines as "# text" ("#" alone when empty).
func writeComments(sb *strings.Builder, lines []string) {
	for _, l := range lines {
		if l == "" {
			sb.WriteString("#\n")
			continue
		}
		sb.WriteString("# " + l + "\n")
	}
}

func writeRules(sb *strings.Builder, rules []Rule) {
	for _, r := range rules {
		writeComments(sb, r.Comment)
		sb.WriteString("rule " + r.Source + " " + strconv.Quote(r.Text) + "\n")
	}
}

// connWord returns " CONN" for a step on a named connection, "" for main.
func connWord(conn string) string {
	if conn == MainConn || conn == "" {
		return ""
	}
	return " " + conn
}

func writeStep(sb *strings.Builder, st Step) {
	sb.WriteString(string(st.Kind))
	switch st.Kind {
	case StepSend:
		sb.WriteString(connWord(st.Conn))
		if st.MayFail {
			sb.WriteString(" may-fail")
		}
		st.Data.format(sb)
	case StepWait:
		sb.WriteString(" " + st.Wait.String())
	case StepMark:
		sb.WriteString(" " + st.Mark)
	case StepConnect:
		sb.WriteString(connWord(st.Conn))
		if st.Within > 0 {
			sb.WriteString(" within " + st.Within.String())
		}
	default:
		sb.WriteString(connWord(st.Conn))
	}
	sb.WriteString("\n")
}

// FormatClauses returns clauses as the lines a file holds for them, for
// messages that show what an expectation was and became.
func FormatClauses(cs ...Clause) string {
	var sb strings.Builder
	for _, c := range cs {
		writeClause(&sb, c)
	}
	return sb.String()
}

func writeClause(sb *strings.Builder, c Clause) {
	sb.WriteString(string(c.Kind))
	switch c.Kind {
	case ClauseRaw, ClauseStatus, ClauseHeader, ClauseBody, ClauseMessage, ClausePrefix, ClauseSuffix:
		c.Bytes.format(sb)
	case ClauseJSON, ClauseMessageLike, ClauseEscapeLike:
		sb.WriteString(" " + strconv.Quote(c.Text))
	case ClauseErrorPage:
		sb.WriteString(" " + strconv.Itoa(c.N) + " " + strconv.Quote(c.Text))
	case ClauseLength, ClauseEscapes:
		sb.WriteString(" " + strconv.Itoa(c.N))
	case ClauseAt:
		sb.WriteString(" " + c.Mark + " " + strconv.Itoa(c.N))
	case ClauseEnd:
		for _, e := range c.Ends {
			sb.WriteString(" " + string(e))
		}
	}
	sb.WriteString("\n")
}

// WriteFile writes a scenario to dir as ID + FileExt in the canonical
// layout, creating folders as needed.
func WriteFile(dir string, s *Scenario) error {
	p := filepath.Join(dir, filepath.FromSlash(s.ID)+FileExt)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, Format(s), 0o644)
}
