package conformance

import (
	"fmt"
	"strings"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Failure is one expectation that did not hold, with what was expected and
// what came, in the manner of h2spec's structured failures.
type Failure struct {
	// Conn is the connection the failure is about; "" for the device
	// section and the target as a whole.
	Conn string
	// Section is the header of the section the clause is in, such as
	// "expect when micropython"; "steps" for a failed step.
	Section string
	// Line is the clause's or step's line in the scenario file.
	Line int
	// What names the check: a clause kind ("status", "message"), "step"
	// or "probe".
	What string
	// Expected and Actual are the compared values as bytes (texts for
	// structural checks).
	Expected []byte
	Actual   []byte
	// Offset is the first differing byte for byte comparisons, -1 when the
	// check is not one.
	Offset int
	// Detail says what differs in words.
	Detail string
	// Rules are the documented sentences the failed clause's section
	// depends on (an override's rules); the scenario's own rules apply to
	// every failure.
	Rules []scenario.Rule

	// ref is the clause that failed, for --update; nil for steps and
	// implicit checks.
	ref *Effective
	// cut is true when the failure judged a connection of which only the
	// first bytes were kept (ConnCapture.Cut): --update cannot write the
	// actual bytes.
	cut bool
}

// Updatable reports whether --update can rewrite the clause behind the
// failure from the actual bytes.
func (f Failure) Updatable() bool {
	return f.ref != nil && !f.cut && f.ref.Kind != scenario.ClauseMessageLike && f.ref.Kind != scenario.ClauseEscapeLike
}

// Summary returns a one-line description: where, what, and the detail.
func (f Failure) Summary() string {
	var sb strings.Builder
	if f.Section != "" {
		sb.WriteString("[" + f.Section + "]")
	}
	if f.Line > 0 {
		fmt.Fprintf(&sb, " line %d", f.Line)
	}
	if f.Conn != "" && f.Section != "" && !strings.Contains(f.Section, f.Conn) && f.Conn != scenario.MainConn {
		fmt.Fprintf(&sb, " (%s)", f.Conn)
	}
	if sb.Len() > 0 {
		sb.WriteString(": ")
	}
	sb.WriteString(f.What)
	if f.Detail != "" {
		sb.WriteString(": " + f.Detail)
	}
	return sb.String()
}

// Explain returns the summary and, for byte comparisons, the expected and
// actual bytes side by side around the first difference. Other values are
// quoted whole when short, and otherwise as excerpts around their first
// differing byte, with its offset: an explanation stays a few lines
// however large the bodies compared.
func (f Failure) Explain() string {
	var sb strings.Builder
	sb.WriteString(f.Summary() + "\n")
	for _, r := range f.Rules {
		fmt.Fprintf(&sb, "  depends on (%s): %s\n", r.Source, r.Text)
	}
	if f.Offset >= 0 {
		sb.WriteString(SideBySide(f.Expected, f.Actual))
	} else if f.Expected != nil || f.Actual != nil {
		sb.WriteString(excerpts(f.Expected, f.Actual))
	}
	return sb.String()
}

// excerptLen is how many bytes of a value Explain quotes.
const excerptLen = 240

// excerpts quotes expected and actual on a line each: whole when both are
// short, else excerptLen bytes of each from a little before the first
// difference.
func excerpts(expected, actual []byte) string {
	if len(expected) <= excerptLen && len(actual) <= excerptLen {
		return fmt.Sprintf("  expected: %s\n  actual:   %s\n", scenario.Quote(expected), scenario.Quote(actual))
	}
	off := FirstDiff(expected, actual)
	if off < 0 {
		return fmt.Sprintf("  expected and actual: %d equal bytes\n", len(expected))
	}
	from := max(0, off-excerptLen/4)
	return fmt.Sprintf("  first difference at offset %d\n  expected (%d bytes): %s\n  actual (%d bytes):   %s\n",
		off, len(expected), quoteWindow(expected, from, from+excerptLen), len(actual), quoteWindow(actual, from, from+excerptLen))
}
