package conformance

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/conformance/response"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// Change is one expectation --update rewrote.
type Change struct {
	// ID is the scenario's ID.
	ID string
	// Section is the header of the section changed.
	Section string
	// Old and New are the clause lines as written, "" for none.
	Old, New string
}

// String renders the change as a small diff.
func (c Change) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s [%s]\n", c.ID, c.Section)
	for _, l := range strings.Split(strings.TrimSuffix(c.Old, "\n"), "\n") {
		if l != "" {
			sb.WriteString("  - " + l + "\n")
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(c.New, "\n"), "\n") {
		if l != "" {
			sb.WriteString("  + " + l + "\n")
		}
	}
	return sb.String()
}

// Update rewrites, in res.Scenario, every clause behind res's failures from
// what the target actually sent, in the section the clause is written in (a
// base clause changes the base, an override clause its override). It
// returns the changes and the failures it could not turn into an
// expectation: failed steps, regular expressions, bodies that are not
// JSON or not an error page, and bytes the runner did not keep
// (ConnCapture.Cut).
func Update(res Result) (changes []Change, left []Failure) {
	s, c := res.Scenario, res.Capture
	var headerFails []Failure
	for _, f := range res.Failures {
		if f.What == "escapes" && f.ref == nil {
			sec := &scenario.Section{Kind: scenario.SectionDevice, Clauses: []scenario.Clause{{Kind: scenario.ClauseEscapes, N: len(c.Escapes)}}}
			s.Sections = append(s.Sections, sec)
			changes = append(changes, Change{ID: s.ID, Section: sec.Header(), New: scenario.FormatClauses(sec.Clauses...)})
			continue
		}
		if !f.Updatable() {
			left = append(left, f)
			continue
		}
		if f.ref.Kind == scenario.ClauseHeader {
			headerFails = append(headerFails, f)
			continue
		}
		cl := &f.ref.Section.Clauses[f.ref.Index]
		old := scenario.FormatClauses(*cl)
		if !updateClause(cl, f, c) {
			left = append(left, f)
			continue
		}
		changes = append(changes, Change{ID: s.ID, Section: f.ref.Section.Header(), Old: old, New: scenario.FormatClauses(*cl)})
	}
	for _, f := range headerFails {
		changes = append(changes, replaceHeaders(s.ID, f.ref.Section, response.Split(connData(c, f.Conn)).Header))
	}
	return changes, left
}

// connData returns the bytes a connection received.
func connData(c *Capture, conn string) []byte {
	if cc := findConn(c, conn); cc != nil {
		return cc.Data
	}
	return nil
}

// updateClause sets one clause from the capture; false when it cannot.
func updateClause(cl *scenario.Clause, f Failure, c *Capture) bool {
	cc := findConn(c, f.Conn)
	if cc == nil && cl.Kind != scenario.ClauseEscapes {
		return false
	}
	var resp response.Response
	if cc != nil {
		resp = response.Split(cc.Data)
	}
	switch cl.Kind {
	case scenario.ClauseRaw:
		cl.Bytes = scenario.LinesOf(resp.Raw)
	case scenario.ClauseStatus:
		cl.Bytes = scenario.B(string(resp.Status))
	case scenario.ClauseBody:
		cl.Bytes = scenario.LinesOf(resp.Body)
	case scenario.ClausePrefix:
		n := min(len(cl.Bytes.Value()), len(resp.Body))
		cl.Bytes = scenario.B(string(resp.Body[:n]))
	case scenario.ClauseSuffix:
		n := min(len(cl.Bytes.Value()), len(resp.Body))
		cl.Bytes = scenario.B(string(resp.Body[len(resp.Body)-n:]))
	case scenario.ClauseLength:
		cl.N = len(resp.Body) + cc.Cut // Check judged it only with the header block kept
	case scenario.ClauseJSON:
		if _, err := decodeJSON(resp.Body); err != nil {
			return false
		}
		cl.Text = string(resp.Body)
	case scenario.ClauseErrorPage:
		page := response.ParseErrorPage(resp.Body)
		code, text, ok := strings.Cut(page.H2, " ")
		n, err := strconv.Atoi(code)
		if !ok || err != nil || n < 100 || n > 999 {
			return false
		}
		cl.N, cl.Text = n, text
	case scenario.ClauseMessage:
		cl.Bytes = scenario.B(response.ParseErrorPage(resp.Body).Message)
	case scenario.ClauseEnd:
		switch cc.End {
		case scenario.EndFIN, scenario.EndRST, scenario.EndTimeout, scenario.EndClosed:
			cl.Ends = []scenario.End{cc.End}
		default:
			return false
		}
	case scenario.ClauseAt:
		cl.N = c.Marks[cl.Mark][f.Conn]
	case scenario.ClauseEscapes:
		cl.N = len(c.Escapes)
	default:
		return false
	}
	return true
}

// replaceHeaders puts the actual header lines in place of a section's
// header clauses.
func replaceHeaders(id string, sec *scenario.Section, header []byte) Change {
	var fresh []scenario.Clause
	for _, line := range bytes.SplitAfter(bytes.TrimSuffix(header, crlf), crlf) {
		if len(line) > 0 {
			fresh = append(fresh, scenario.Clause{Kind: scenario.ClauseHeader, Bytes: scenario.B(string(line))})
		}
	}
	var out, old []scenario.Clause
	placed := false
	for _, c := range sec.Clauses {
		if c.Kind != scenario.ClauseHeader {
			out = append(out, c)
			continue
		}
		old = append(old, c)
		if !placed && len(fresh) > 0 {
			// A comment on the first header line stays on the block.
			fresh[0].Comment = c.Comment
			out = append(out, fresh...)
		}
		placed = true
	}
	sec.Clauses = out
	return Change{ID: id, Section: sec.Header(), Old: scenario.FormatClauses(old...), New: scenario.FormatClauses(fresh...)}
}
