package conformance

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/conformance/response"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// The checks in this file judge what the runner did not keep: a scenario
// cut short at its deadline, and a connection of which only the first
// bytes were kept (ConnCapture.Cut). They must never pass on bytes they
// did not see.

// overranFailure is the failure of a scenario that its deadline cut short.
func overranFailure(c *Capture) Failure {
	detail := fmt.Sprintf("scenario took longer than %v (the deadline of its steps and reads together), so the runner ended it", c.Deadline)
	var open []string
	for _, cc := range c.Conns {
		if cc.End == scenario.EndDeadline {
			open = append(open, cc.Name)
		}
	}
	if len(open) > 0 {
		detail += "; still open: " + strings.Join(open, ", ")
	}
	return Failure{Section: "steps", What: "deadline", Detail: detail, Offset: -1}
}

// needsKept reports whether a failed clause judged bytes the runner may
// not have kept, so --update cannot write them: every clause but end, at,
// and length when the header block was kept (the body's length is counted).
func needsKept(k scenario.ClauseKind, resp response.Response) bool {
	switch k {
	case scenario.ClauseEnd, scenario.ClauseAt:
		return false
	case scenario.ClauseLength:
		return !resp.Complete
	}
	return true
}

// keptNote says how much of a connection the runner kept.
func keptNote(kept, cut int) string {
	return fmt.Sprintf("%d bytes received, the runner kept the first %d", kept+cut, kept)
}

// exactCut is exact for actual bytes whose last cut bytes were not kept.
// They can equal expected only if it is exactly that long and starts with
// the kept bytes; and even then the bytes not kept were not compared, so
// it always fails, saying which is the case.
func exactCut(ef *Effective, conn string, expected, kept []byte, cut int) *Failure {
	if cut == 0 {
		return exact(ef, conn, expected, kept)
	}
	total := len(kept) + cut
	off := FirstDiff(expected, kept)
	var detail string
	switch {
	case off >= 0 && off < min(len(expected), len(kept)):
		detail = DescribeDiff(expected, kept)
	case off >= 0 && off < len(kept):
		detail = fmt.Sprintf("first difference at offset %d: expected ends there (%d bytes), actual goes on with %s",
			off, len(expected), quoteWindow(kept, off, off+16))
	case len(expected) != total:
		off = len(kept)
		detail = fmt.Sprintf("first difference at offset %d or after: the bytes before it are as expected, and expected has %d bytes, actual %d",
			off, len(expected), total)
	default:
		off = len(kept)
		detail = fmt.Sprintf("not compared from offset %d: the bytes before it are as expected, the rest was not kept", off)
	}
	f := fail(ef, conn, fmt.Sprintf("%s (actual: %d bytes, the runner kept the first %d)", detail, total, len(kept)))
	f.Expected, f.Actual, f.Offset = expected, kept, off
	return f
}

// notKept is the failure of a clause whose bytes the runner did not keep.
func notKept(ef *Effective, conn string, resp response.Response, what string) *Failure {
	return fail(ef, conn, fmt.Sprintf("cannot check: %s was not kept (%s)", what, keptNote(len(resp.Raw), resp.Cut)))
}

// headNotKept is notKept for a body clause when the header block did not
// end within the bytes kept, so where the body starts is unknown.
func headNotKept(ef *Effective, conn string, resp response.Response) *Failure {
	return notKept(ef, conn, resp, "the blank line ending the header block")
}

// checkLength compares the body's length, counting the bytes not kept.
func checkLength(ef *Effective, conn string, resp response.Response) *Failure {
	if resp.Cut > 0 && !resp.Complete {
		return headNotKept(ef, conn, resp)
	}
	n := len(resp.Body) + resp.Cut
	if n == ef.N {
		return nil
	}
	f := fail(ef, conn, fmt.Sprintf("expected a body of %d bytes, actual %d", ef.N, n))
	f.Expected, f.Actual = []byte(strconv.Itoa(ef.N)), []byte(strconv.Itoa(n))
	return f
}
