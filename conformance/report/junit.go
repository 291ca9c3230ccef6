package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/europi-http/europi-http/conformance"
)

// JUnit XML elements. Every suite and case carries a name, which is what CI
// test reporters key on; a case's classname is its target so the same
// scenario on two targets stays two cases.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Hostname string      `xml:"hostname,attr,omitempty"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitMessage `xml:"failure,omitempty"`
		Skipped   *junitMessage `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
)

// seconds formats a duration the way JUnit wants it.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes the runs as JUnit XML: a testsuite per target, a
// testcase per scenario. An expected difference is a passing case whose
// system-out says which difference applied; on a target under a device
// profile, system-out and a failure's message also name the profile rules
// that acted on the scenario.
func WriteJUnit(w io.Writer, runs []TargetResults) error {
	top := junitSuites{Name: "europi-http conform"}
	var total Summary
	for _, run := range runs {
		s := Summarize(run.Results)
		total.Total += s.Total
		total.Failed += s.Failed
		total.Skipped += s.Skipped
		total.Duration += s.Duration
		suite := junitSuite{Name: run.Target.Name, Hostname: run.Target.Addr, Tests: s.Total,
			Failures: s.Failed, Skipped: s.Skipped, Time: seconds(s.Duration)}
		for _, r := range run.Results {
			suite.Cases = append(suite.Cases, junitCaseOf(run.Target.Name, r))
		}
		top.Suites = append(top.Suites, suite)
	}
	top.Tests, top.Failures, top.Skipped, top.Time = total.Total, total.Failed, total.Skipped, seconds(total.Duration)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(top); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCaseOf converts one result.
func junitCaseOf(target string, r conformance.Result) junitCase {
	c := junitCase{Name: r.ID, Classname: target, Time: seconds(r.Duration)}
	var out []string
	for _, d := range r.Differences {
		out = append(out, "expected difference: "+d)
	}
	for i, reason := range r.RetryReasons {
		out = append(out, fmt.Sprintf("retry %d: %s", i+1, reason))
	}
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	rules := r.ProfileRules()
	if len(rules) > 0 {
		out = append(out, "profile "+RulesTag(rules))
	}
	for _, e := range r.ProfileEvents {
		out = append(out, "profile: "+e.Text)
	}
	switch r.Status {
	case conformance.StatusFail:
		var text strings.Builder
		for _, f := range r.Failures {
			text.WriteString(f.Explain())
		}
		msg := fmt.Sprintf("%d expectation(s) failed", len(r.Failures))
		typ := ""
		if len(r.Failures) > 0 {
			msg, typ = r.Failures[0].Summary(), r.Failures[0].What
		}
		if len(rules) > 0 {
			msg += " " + RulesTag(rules)
		}
		c.Failure = &junitMessage{Message: xmlSafe(msg), Type: xmlSafe(typ), Text: xmlSafe(text.String())}
	case conformance.StatusSkip:
		c.Skipped = &junitMessage{Message: xmlSafe(strings.Join(r.Notes, "; "))}
	}
	c.SystemOut = xmlSafe(strings.Join(out, "\n"))
	return c
}

// xmlSafe escapes the characters XML 1.0 cannot carry at all, even as
// references (NUL and most C0 controls, invalid UTF-8), so a report about a
// NUL byte stays a well-formed document.
func xmlSafe(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || r >= 0x10000:
			sb.WriteRune(r)
		default:
			fmt.Fprintf(&sb, `\u%04x`, r)
		}
		i += size
	}
	return sb.String()
}
