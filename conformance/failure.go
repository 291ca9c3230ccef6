package conformance

import (
	"fmt"
	"strings"
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
	Rules []Rule

	// ref is the clause that failed, for --update; nil for steps and
	// implicit checks.
	ref *Effective
}

// Updatable reports whether --update can rewrite the clause behind the
// failure from the actual bytes.
func (f Failure) Updatable() bool {
	return f.ref != nil && f.ref.Kind != ClauseMessageLike && f.ref.Kind != ClauseEscapeLike
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
	if f.Conn != "" && f.Section != "" && !strings.Contains(f.Section, f.Conn) && f.Conn != MainConn {
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
// actual bytes side by side around the first difference.
func (f Failure) Explain() string {
	s := f.Summary() + "\n"
	for _, r := range f.Rules {
		s += fmt.Sprintf("  depends on (%s): %s\n", r.Source, r.Text)
	}
	if f.Offset >= 0 {
		s += SideBySide(f.Expected, f.Actual)
	} else if f.Expected != nil || f.Actual != nil {
		s += fmt.Sprintf("  expected: %s\n  actual:   %s\n", Quote(f.Expected), Quote(f.Actual))
	}
	return s
}
