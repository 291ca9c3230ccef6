package conformance

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/conformance/response"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// Check compares a capture with a resolved expectation and returns every
// failure, in clause order. Escapes are checked only when the capture knows
// them; a target that reports escapes must have none unless a [device]
// section says how many.
func Check(r *Resolved, c *Capture) []Failure {
	var out []Failure
	if c.Overran {
		out = append(out, overranFailure(c))
	}
	for _, se := range c.StepErrors {
		if se.Step.MayFail || serverEndedFirst(c, se.Step) {
			continue
		}
		out = append(out, Failure{Conn: se.Step.Conn, Section: "steps", Line: se.Step.Line,
			What: "step " + string(se.Step.Kind), Detail: se.Err, Offset: -1})
	}
	for _, e := range r.Conns {
		if cc := findConn(c, e.Conn); cc != nil {
			out = append(out, checkConn(e, cc, c)...)
		}
	}
	if c.EscapesKnown {
		out = append(out, checkEscapes(r, c)...)
	}
	return out
}

// crlf ends the status line and each header line.
var crlf = []byte("\r\n")

// serverEndedFirst reports whether a failed half-close raced the server
// ending the connection (a device that drops the request closes it at
// once, and the request then draws a reset): nothing was left to
// half-close, and the end clause judges how the server ended it.
func serverEndedFirst(c *Capture, st scenario.Step) bool {
	cc := findConn(c, st.Conn)
	return st.Kind == scenario.StepShutdown && cc != nil && (cc.End == scenario.EndRST || cc.End == scenario.EndFIN)
}

// responseClause reports whether a clause is about response bytes: the
// status line, a header line or the body.
func responseClause(k scenario.ClauseKind) bool {
	return k == scenario.ClauseStatus || k == scenario.ClauseHeader || k.Group() == "body"
}

// checkConn checks one connection's clauses, in order.
func checkConn(e *Expectation, cc *ConnCapture, c *Capture) []Failure {
	if cc.End == scenario.EndRefused && !expectsEnd(e, scenario.EndRefused) {
		return []Failure{{Conn: e.Conn, Section: "steps", What: "connect", Detail: "could not connect: " + cc.Err, Offset: -1}}
	}
	var out []Failure
	resp := response.Split(cc.Data)
	resp.Cut = cc.Cut
	silent := len(cc.Data) == 0 && expectsResponse(e)
	if silent {
		// One failure says it all; a clause-by-clause list of
		// "expected X, actual nothing" would bury it.
		detail := fmt.Sprintf("no bytes arrived; the connection ended by %s", cc.End)
		if cc.Err != "" {
			detail += " (" + cc.Err + ")"
		}
		f := Failure{Conn: e.Conn, What: "response", Detail: detail, Offset: -1}
		for _, ef := range e.Clauses {
			if responseClause(ef.Kind) {
				f.Section, f.Line = ef.Section.Header(), ef.Line
				break
			}
		}
		out = append(out, f)
	}
	var headers []Effective
	for _, ef := range e.Clauses {
		if ef.Kind == scenario.ClauseHeader {
			headers = append(headers, ef)
		}
	}
	headersDone := false
	for i := range e.Clauses {
		ef := &e.Clauses[i]
		var f *Failure
		switch {
		case silent && responseClause(ef.Kind):
			continue
		case ef.Kind != scenario.ClauseHeader:
			f = checkClause(ef, cc, resp, c)
		case !headersDone:
			// The header lines are one block, checked where the first of
			// them is written.
			f, headersDone = checkHeaders(e.Conn, headers, resp), true
		}
		if f != nil {
			// Bytes that were not kept cannot be written into an
			// expectation; how the connection ended and the counts can.
			f.cut = cc.Cut > 0 && needsKept(ef.Kind, resp)
			out = append(out, *f)
		}
	}
	return out
}

// expectsResponse reports whether an expectation asks for response bytes:
// a status line, headers or a non-empty body.
func expectsResponse(e *Expectation) bool {
	for _, ef := range e.Clauses {
		switch {
		case ef.Kind == scenario.ClauseStatus, ef.Kind == scenario.ClauseHeader:
			return true
		case ef.Kind.Group() == "body" && !(ef.Kind == scenario.ClauseBody && len(ef.Bytes.Value()) == 0) && !(ef.Kind == scenario.ClauseLength && ef.N == 0):
			return true
		}
	}
	return false
}

// findConn returns the capture of the named connection.
func findConn(c *Capture, name string) *ConnCapture {
	for _, cc := range c.Conns {
		if cc.Name == name {
			return cc
		}
	}
	return nil
}

// fail starts a failure for a clause.
func fail(ef *Effective, conn, detail string) *Failure {
	return &Failure{Conn: conn, Section: ef.Section.Header(), Line: ef.Line, What: string(ef.Kind),
		Detail: detail, Offset: -1, Rules: ef.Section.Rules, ref: ef}
}

// exact compares bytes and fills in the offset of the first difference.
func exact(ef *Effective, conn string, expected, actual []byte) *Failure {
	if bytes.Equal(expected, actual) {
		return nil
	}
	f := fail(ef, conn, DescribeDiff(expected, actual))
	f.Expected, f.Actual, f.Offset = expected, actual, FirstDiff(expected, actual)
	return f
}

// checkHeaders compares the header block with the header clauses plus the
// blank line.
func checkHeaders(conn string, headers []Effective, resp response.Response) *Failure {
	if len(headers) == 0 {
		return nil
	}
	var want []byte
	for _, h := range headers {
		want = append(want, h.Bytes.Value()...)
	}
	want = append(want, crlf...)
	f := exact(&headers[0], conn, want, resp.Header)
	switch {
	case f == nil || resp.Complete:
	case resp.Cut > 0:
		f.Detail += fmt.Sprintf(" (the blank line ending the header block is not in the first %d bytes, which is all the runner kept)", len(resp.Raw))
	default:
		f.Detail += " (the blank line ending the header block never came)"
	}
	return f
}

// checkClause checks one clause other than header.
func checkClause(ef *Effective, cc *ConnCapture, resp response.Response, c *Capture) *Failure {
	conn := cc.Name
	switch ef.Kind {
	case scenario.ClauseRaw:
		return exactCut(ef, conn, ef.Bytes.Value(), resp.Raw, resp.Cut)
	case scenario.ClauseStatus:
		return exact(ef, conn, ef.Bytes.Value(), resp.Status)
	case scenario.ClauseBody:
		if resp.Cut > 0 && !resp.Complete {
			return headNotKept(ef, conn, resp)
		}
		return exactCut(ef, conn, ef.Bytes.Value(), resp.Body, resp.Cut)
	case scenario.ClausePrefix:
		want := ef.Bytes.Value()
		if len(resp.Body) < len(want) {
			if resp.Cut > 0 && !resp.Complete {
				return headNotKept(ef, conn, resp)
			}
			return exactCut(ef, conn, want, resp.Body, resp.Cut)
		}
		return exact(ef, conn, want, resp.Body[:len(want)])
	case scenario.ClauseSuffix:
		if resp.Cut > 0 {
			return notKept(ef, conn, resp, "the body's end")
		}
		want := ef.Bytes.Value()
		got := resp.Body[len(resp.Body)-min(len(want), len(resp.Body)):]
		return exact(ef, conn, want, got)
	case scenario.ClauseLength:
		return checkLength(ef, conn, resp)
	case scenario.ClauseJSON:
		if resp.Cut > 0 {
			return notKept(ef, conn, resp, "the whole body")
		}
		where, err := JSONEqual([]byte(ef.Text), resp.Body)
		if err == nil && where == "" {
			return nil
		}
		detail := where
		if err != nil {
			detail = err.Error()
		}
		f := fail(ef, conn, detail)
		f.Expected, f.Actual = []byte(ef.Text), resp.Body
		return f
	case scenario.ClauseErrorPage:
		return checkErrorPage(ef, conn, resp.Body)
	case scenario.ClauseMessage:
		page := response.ParseErrorPage(resp.Body)
		if slices.Contains(page.Missing, "p") {
			return fail(ef, conn, "no <p> after the h2 in the body")
		}
		return exact(ef, conn, ef.Bytes.Value(), []byte(page.Message))
	case scenario.ClauseMessageLike:
		page := response.ParseErrorPage(resp.Body)
		if slices.Contains(page.Missing, "p") {
			return fail(ef, conn, "no <p> after the h2 in the body")
		}
		if regexp.MustCompile(ef.Text).MatchString(page.Message) {
			return nil
		}
		f := fail(ef, conn, fmt.Sprintf("message does not match /%s/", ef.Text))
		f.Expected, f.Actual = []byte(ef.Text), []byte(page.Message)
		return f
	case scenario.ClauseEnd:
		if slices.Contains(ef.Ends, cc.End) {
			return nil
		}
		detail := fmt.Sprintf("expected the connection to end by %s, actual %s", joinEnds(ef.Ends), cc.End)
		if cc.Err != "" {
			detail += " (" + cc.Err + ")"
		}
		f := fail(ef, conn, detail)
		f.Expected, f.Actual = []byte(joinEnds(ef.Ends)), []byte(cc.End)
		return f
	case scenario.ClauseAt:
		got, ok := c.Marks[ef.Mark][conn]
		if ok && got == ef.N {
			return nil
		}
		f := fail(ef, conn, fmt.Sprintf("expected %d bytes received by mark %s, actual %d", ef.N, ef.Mark, got))
		f.What = "at " + ef.Mark
		f.Expected, f.Actual = []byte(strconv.Itoa(ef.N)), []byte(strconv.Itoa(got))
		return f
	}
	return nil
}

// joinEnds renders ends as "fin or rst".
func joinEnds(ends []scenario.End) string {
	s := make([]string, len(ends))
	for i, e := range ends {
		s[i] = string(e)
	}
	return strings.Join(s, " or ")
}

// checkErrorPage compares an error page's title, h1 and h2.
func checkErrorPage(ef *Effective, conn string, body []byte) *Failure {
	page := response.ParseErrorPage(body)
	want := []string{response.ErrorPageTitle(ef.N), response.ErrorPageH1, response.ErrorPageH2(ef.N, ef.Text)}
	got := []string{page.Title, page.H1, page.H2}
	names := []string{"title", "h1", "h2"}
	for i := range want {
		if slices.Contains(page.Missing, names[i]) {
			f := fail(ef, conn, fmt.Sprintf("no <%s> in the body", names[i]))
			f.Expected, f.Actual = []byte(want[i]), body
			return f
		}
		if want[i] != got[i] {
			f := fail(ef, conn, fmt.Sprintf("%s: %s", names[i], DescribeDiff([]byte(want[i]), []byte(got[i]))))
			f.Expected, f.Actual = []byte(want[i]), []byte(got[i])
			return f
		}
	}
	return nil
}

// checkEscapes compares the escapes seen during the scenario with the
// [device] clauses (none when there are no clauses).
func checkEscapes(r *Resolved, c *Capture) []Failure {
	want := 0
	var countRef, likeRef *Effective
	for i := range r.Device {
		ef := &r.Device[i]
		switch ef.Kind {
		case scenario.ClauseEscapes:
			want, countRef = ef.N, ef
		case scenario.ClauseEscapeLike:
			likeRef = ef
		}
	}
	var out []Failure
	if len(c.Escapes) != want {
		f := Failure{Section: "device", What: "escapes", Offset: -1, ref: countRef,
			Detail: fmt.Sprintf("expected %d exceptions to escape check_requests() (each would stop the device script), actual %d: %s",
				want, len(c.Escapes), strings.Join(c.Escapes, "; ")),
			Expected: []byte(strconv.Itoa(want)), Actual: []byte(strconv.Itoa(len(c.Escapes)))}
		if countRef != nil {
			f.Section, f.Line = countRef.Section.Header(), countRef.Line
		}
		out = append(out, f)
	}
	if likeRef != nil {
		re := regexp.MustCompile(likeRef.Text)
		for _, e := range c.Escapes {
			if !re.MatchString(e) {
				f := fail(likeRef, "", fmt.Sprintf("escape %q does not match /%s/", e, likeRef.Text))
				f.Expected, f.Actual = []byte(likeRef.Text), []byte(e)
				out = append(out, *f)
			}
		}
	}
	return out
}

// expectsEnd reports whether the connection's end clause allows end.
func expectsEnd(e *Expectation, end scenario.End) bool {
	for _, ef := range e.Clauses {
		if ef.Kind == scenario.ClauseEnd && slices.Contains(ef.Ends, end) {
			return true
		}
	}
	return false
}
