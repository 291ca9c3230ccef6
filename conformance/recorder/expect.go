package recorder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/europi-http/europi-http/conformance/response"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// Sentences of docs/behaviour.md that recorded scenarios cite, each
// chosen by what the recording shows.
const (
	ruleEOF      = "No Content-Length. The server closes the connection after every response (the body ends at EOF)."
	ruleSegments = "Only the first read is seen: a body (or the rest of a request line) that arrives in a later TCP segment is lost."
	ruleEmpty    = "A request that is empty or only white space → 500 \"list index out of range\"."
	ruleOSError  = "an OSError anywhere → `check_requests()` returns quietly, leaving the rest of the queue for the next call."
	ruleRST      = "Longer requests are cut at 1024 bytes and the unread rest makes `close()` send a TCP RST, so the client may see a reset instead of (or after part of) the response."
	ruleStall    = "On CPython and the unix port the accepted socket blocks: a client that connects and sends nothing stalls the loop, and every other client, until it sends or closes."
)

// Rules lists every sentence a recorded scenario may cite, for tests that
// check them against the document.
var Rules = []string{ruleEOF, ruleSegments, ruleEmpty, ruleOSError, ruleRST, ruleStall}

// rulesFor picks the documented sentences the recording bears on.
func rulesFor(s *Session, steps []scenario.Step) []scenario.Rule {
	var texts []string
	end := s.ServerEnd()
	switch end {
	case EventRST:
		texts = append(texts, ruleRST)
	case EventTimeout:
		texts = append(texts, ruleStall)
	case "":
		texts = append(texts, ruleOSError)
	}
	if countSends(steps) > 1 {
		texts = append(texts, ruleSegments)
	}
	if len(s.Sent()) == 0 && len(s.Received()) > 0 {
		texts = append(texts, ruleEmpty)
	}
	if len(texts) == 0 || end == EventFIN {
		texts = append([]string{ruleEOF}, texts...)
	}
	out := make([]scenario.Rule, len(texts))
	for i, t := range texts {
		out[i] = scenario.Rule{Source: "behaviour", Text: t}
	}
	return out
}

// connEnd is how the replaying client will see the connection end.
func connEnd(s *Session) scenario.End {
	switch s.ServerEnd() {
	case EventFIN:
		return scenario.EndFIN
	case EventRST:
		return scenario.EndRST
	case EventTimeout:
		return scenario.EndTimeout
	}
	return scenario.EndClosed
}

// expectSection states what the server sent and how the connection ended:
// status line and header lines byte for byte, then the body exactly, as
// JSON values when the server called it text/json, or as an error page's
// structure. A response the client cut short by a reset is expected only
// as far as it had come, as a prefix: a replay's reset may come a little
// earlier or later in the server's answer.
func expectSection(s *Session) *scenario.Section {
	sec := &scenario.Section{Kind: scenario.SectionExpect, Conn: scenario.MainConn}
	add := func(c scenario.Clause) { sec.Clauses = append(sec.Clauses, c) }
	data := s.Received()
	end := connEnd(s)
	resp := response.Split(data)
	switch {
	case len(data) == 0:
		add(scenario.Clause{Kind: scenario.ClauseRaw, Bytes: scenario.B("")})
	case !resp.Complete:
		add(scenario.Clause{Kind: scenario.ClauseRaw, Bytes: layout(data)})
	default:
		add(scenario.Clause{Kind: scenario.ClauseStatus, Bytes: scenario.B(string(resp.Status))})
		for _, line := range bytes.SplitAfter(bytes.TrimSuffix(resp.Header, []byte("\r\n")), []byte("\r\n")) {
			if len(line) > 0 {
				add(scenario.Clause{Kind: scenario.ClauseHeader, Bytes: scenario.B(string(line))})
			}
		}
		if end == scenario.EndClosed {
			if len(resp.Body) > 0 {
				add(scenario.Clause{Kind: scenario.ClausePrefix, Bytes: layout(resp.Body),
					Comment: []string{"The client reset before the server ended: only what had come by then."}})
			}
			break
		}
		for _, c := range bodyClauses(resp) {
			add(c)
		}
	}
	add(scenario.Clause{Kind: scenario.ClauseEnd, Ends: []scenario.End{end}})
	return sec
}

// bodyClauses expects a complete response's body.
func bodyClauses(resp response.Response) []scenario.Clause {
	mime := contentType(resp.Header)
	if mime == "text/json" && json.Valid(resp.Body) {
		return []scenario.Clause{{Kind: scenario.ClauseJSON, Text: string(resp.Body)}}
	}
	if mime == "text/html" {
		if code, text, page, ok := errorPage(resp); ok {
			out := []scenario.Clause{{Kind: scenario.ClauseErrorPage, N: code, Text: text}}
			if !slices.Contains(page.Missing, "p") {
				out = append(out, scenario.Clause{Kind: scenario.ClauseMessage, Bytes: scenario.B(page.Message)})
			}
			return out
		}
	}
	return []scenario.Clause{{Kind: scenario.ClauseBody, Bytes: layout(resp.Body)}}
}

// contentType returns the MIME type of the first Content-type line of a
// header block, lower-cased, without parameters.
func contentType(header []byte) string {
	for _, line := range strings.Split(string(header), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "content-type") {
			mime, _, _ := strings.Cut(value, ";")
			return strings.ToLower(strings.TrimSpace(mime))
		}
	}
	return ""
}

// errorPage recognises an error page whose code is the status line's, so
// a page that follows another response in the same body (upstream writes
// one after a handler's partial answer) is compared byte for byte instead.
func errorPage(resp response.Response) (int, string, response.ErrorPage, bool) {
	page := response.ParseErrorPage(resp.Body)
	for _, m := range page.Missing {
		if m != "p" {
			return 0, "", page, false
		}
	}
	codeText, text, ok := strings.Cut(page.H2, " ")
	code, err := strconv.Atoi(codeText)
	if !ok || err != nil || code < 100 || code > 999 {
		return 0, "", page, false
	}
	status := strings.Fields(string(resp.Status))
	if len(status) < 2 || status[1] != codeText ||
		page.Title != response.ErrorPageTitle(code) || page.H1 != response.ErrorPageH1 {
		return 0, "", page, false
	}
	return code, text, page, true
}

// describe says in a sentence what was recorded, from where and when.
func describe(s *Session, steps []scenario.Step) string {
	var req string
	switch sent := s.Sent(); {
	case len(sent) == 0:
		req = "a connection that sent nothing"
	default:
		req = printable(cut(requestLine(sent), 80))
		if n := countSends(steps); n > 1 {
			req += fmt.Sprintf(" in %d segments", n)
		}
	}
	var answer string
	resp := response.Split(s.Received())
	switch {
	case len(resp.Raw) == 0:
		answer = "no bytes"
	default:
		answer = printable(strings.TrimSuffix(string(resp.Status), "\r\n"))
	}
	return fmt.Sprintf("Recorded from %s at %s: %s; the server sent %s and the connection ended by %s.",
		s.Upstream, s.Started.UTC().Format(time.DateTime+" MST"), req, answer, connEnd(s))
}
