package scenario

import (
	"strings"
	"time"
)

// FileExt is the extension of scenario files; a scenario's ID is its path
// under the scenarios folder without it.
const FileExt = ".scenario"

// MainConn is the name of the connection that steps and expect sections
// use when they name none.
const MainConn = "main"

// DefaultTimeout is the idle timeout of every dial, write and read of a
// scenario without a timeout line, unless the runner sets another.
const DefaultTimeout = 2 * time.Second

// Scenario is one parsed scenario file: what to send, and what to expect back
// from every kind of target.
type Scenario struct {
	// ID is the file's path under the scenarios folder, without FileExt,
	// with forward slashes: "get/teapot".
	ID string
	// Comment holds the comment lines at the top of the file, without "# ".
	Comment []string
	// Description says in a sentence what the scenario checks.
	Description string
	// Rules are the documented sentences the scenario checks.
	Rules []Rule
	// Timeout is how long a connection may stay idle before its read is
	// declared a timeout; 0 means the runner's default.
	Timeout time.Duration
	// Inputs are the panel inputs the scenario was recorded with, its
	// [inputs] section; nil when it has none.
	Inputs []Input
	// Steps are the client's actions, in order.
	Steps []Step
	// Sections are the [expect] and [device] sections, in file order: the
	// base ones first by convention, then the per-label overrides.
	Sections []*Section
	// Trailer holds the comment lines after the last section.
	Trailer []string
}

// Rule names one documented sentence a scenario or an override depends on.
type Rule struct {
	// Source names the document: one of RuleSources.
	Source string
	// Text is the sentence (or its significant part), quoted verbatim.
	Text string
	// Comment holds the comment lines before the rule.
	Comment []string
	// Line is the rule's line in its file (not written back).
	Line int
}

// RuleSource is a document that rule lines may cite.
type RuleSource struct {
	// Path is the document's path with forward slashes: relative to the
	// repository root, or to a EuroPi checkout when Upstream is set.
	Path string
	// Upstream is set for upstream's own text, which the repository does
	// not hold: a rule quotes it as upstream's API documentation renders
	// the file's docstrings.
	Upstream bool
}

// RuleSources maps the names a rule may cite to the documents they stand
// for.
var RuleSources = map[string]RuleSource{
	"behaviour": {Path: "docs/behaviour.md"},
	"routes":    {Path: "conformance/fixture/ROUTES.md"},
	"api":       {Path: "software/firmware/experimental/http_server.py", Upstream: true},
}

// StepKind is what a step does.
type StepKind string

// The step kinds.
const (
	// StepConnect opens a connection. Other steps open theirs on first use,
	// so connect is needed only for a client that never sends.
	StepConnect StepKind = "connect"
	// StepSend writes bytes in one write call.
	StepSend StepKind = "send"
	// StepWait pauses the client.
	StepWait StepKind = "wait"
	// StepShutdown half-closes: the client sends FIN and keeps reading.
	StepShutdown StepKind = "shutdown"
	// StepClose closes the client's side completely.
	StepClose StepKind = "close"
	// StepReset closes with SO_LINGER 0, so the server gets a RST.
	StepReset StepKind = "reset"
	// StepAwait waits until the server has ended the connection (or it
	// timed out).
	StepAwait StepKind = "await"
	// StepMark records how many bytes each connection has received so far,
	// under a name that "at" clauses check.
	StepMark StepKind = "mark"
)

// Step is one client action.
type Step struct {
	// Kind is the action.
	Kind StepKind
	// Conn is the connection acted on; "" for wait and mark. The parser
	// fills in MainConn when the file names none.
	Conn string
	// Data is what a send writes.
	Data Bytes
	// MayFail lets a send fail without failing the scenario, for a write
	// that races the server's close.
	MayFail bool
	// Wait is how long a wait pauses.
	Wait time.Duration
	// Within is how long a connect may take before the connection counts
	// as refused; 0 means the idle timeout. A connect that is to fail
	// (end refused) needs one shorter than the idle timeout of the
	// connections it holds open.
	Within time.Duration
	// Mark is a mark step's name.
	Mark string
	// Comment holds the comment lines before the step.
	Comment []string
	// Line is the step's line in its file (not written back).
	Line int
}

// SectionKind is what a section describes.
type SectionKind string

// The section kinds after [scenario] and [steps].
const (
	// SectionExpect describes one connection's response and end.
	SectionExpect SectionKind = "expect"
	// SectionDevice describes the device script's fate: exceptions that
	// escape check_requests() and would end it on a Pico.
	SectionDevice SectionKind = "device"
)

// Section is one [expect] or [device] section, a base one (no When) or an
// override for targets that carry one of When's labels.
type Section struct {
	// Kind is expect or device.
	Kind SectionKind
	// Conn is the connection an expect section describes (MainConn when the
	// header names none); "" for device sections.
	Conn string
	// When lists the target labels the section applies to; empty for a base
	// section.
	When []string
	// Outcome names one of several outcomes these targets may show, for
	// a device whose behaviour depends on timing (a Pico W loses most
	// requests to the accept race and answers the odd one): the override
	// sections with the same Outcome describe it together, and a target
	// passes when it shows any one of them. "" for an override that
	// applies whatever the outcome.
	Outcome string
	// Difference says why these targets differ from the base; an override
	// with a Difference turns a pass into an expected difference.
	Difference string
	// Rules are the documented sentences the override depends on.
	Rules []Rule
	// Clauses are the expectations, in file order.
	Clauses []Clause
	// Comment holds the comment lines before the section header.
	Comment []string
	// Line is the header's line in its file (not written back).
	Line int
}

// IsOverride reports whether the section applies only to some targets.
func (s *Section) IsOverride() bool { return len(s.When) > 0 }

// Header returns the section's header line without brackets, such as
// "expect b when micropython".
func (s *Section) Header() string {
	parts := []string{string(s.Kind)}
	if s.Kind == SectionExpect && s.Conn != MainConn {
		parts = append(parts, s.Conn)
	}
	if len(s.When) > 0 {
		parts = append(parts, "when")
		parts = append(parts, s.When...)
	}
	return strings.Join(parts, " ")
}

// ClauseKind names one expectation.
type ClauseKind string

// The clause kinds. Each belongs to a group (see ClauseKind.Group); an
// override replaces whole groups of the base.
const (
	// ClauseRaw expects the whole response, byte for byte.
	ClauseRaw ClauseKind = "raw"
	// ClauseStatus expects the status line with its CRLF.
	ClauseStatus ClauseKind = "status"
	// ClauseHeader expects one header line with its CRLF; the lines of a section
	// together, plus the blank line, are the header block byte for byte.
	ClauseHeader ClauseKind = "header"
	// ClauseBody expects the body (everything after the blank line), exactly.
	ClauseBody ClauseKind = "body"
	// ClauseJSON expects the body, parsed as JSON, to equal a JSON value.
	ClauseJSON ClauseKind = "json"
	// ClauseErrorPage expects an error page with a code and text
	// (title, h1 and h2 by structure).
	ClauseErrorPage ClauseKind = "error-page"
	// ClauseMessage expects the error page's paragraph, trimmed, exactly.
	ClauseMessage ClauseKind = "message"
	// ClauseMessageLike expects the error page's paragraph, trimmed, to match a
	// regular expression.
	ClauseMessageLike ClauseKind = "message-like"
	// ClauseLength expects the body's length in bytes.
	ClauseLength ClauseKind = "length"
	// ClausePrefix expects the body to start with some bytes.
	ClausePrefix ClauseKind = "prefix"
	// ClauseSuffix expects the body to end with some bytes.
	ClauseSuffix ClauseKind = "suffix"
	// ClauseEnd expects the connection to end in one of several ways.
	ClauseEnd ClauseKind = "end"
	// ClauseAt expects the number of bytes the connection had received when a
	// mark step ran.
	ClauseAt ClauseKind = "at"
	// ClauseEscapes expects the number of exceptions that escaped
	// check_requests() during the scenario (device sections only); each would stop the device
	// script.
	ClauseEscapes ClauseKind = "escapes"
	// ClauseEscapeLike expects every escape to match a regular expression
	// (device sections only).
	ClauseEscapeLike ClauseKind = "escape-like"
)

// Group returns the override group of a clause kind: an override section
// that has any clause of a group replaces all the base's clauses of that
// group. Body matchers form one group, so an override states its body
// expectation completely.
func (k ClauseKind) Group() string {
	switch k {
	case ClauseBody, ClauseJSON, ClauseErrorPage, ClauseMessage, ClauseMessageLike,
		ClauseLength, ClausePrefix, ClauseSuffix:
		return "body"
	case ClauseEscapes, ClauseEscapeLike:
		return "escapes"
	}
	return string(k)
}

// End is how a connection ended, as the client saw it.
type End string

// The ends a client can see.
const (
	// EndFIN means the server closed cleanly: a read returned EOF.
	EndFIN End = "fin"
	// EndRST means a read failed with ECONNRESET.
	EndRST End = "rst"
	// EndTimeout means nothing arrived within the idle timeout.
	EndTimeout End = "timeout"
	// EndClosed means the client closed or reset before the server ended it.
	EndClosed End = "closed"
	// EndError means any other read error; its text is in the capture.
	EndError End = "error"
	// EndRefused means the connection could not be opened: refused, or
	// not established within the connect's timeout (a SYN the server's full
	// accept queue dropped).
	EndRefused End = "refused"
	// EndDeadline means the scenario's whole deadline passed while the
	// connection was open (or opening), and the runner closed it.
	EndDeadline End = "deadline"
)

// Clause is one expectation line.
type Clause struct {
	// Kind is the expectation.
	Kind ClauseKind
	// Bytes is the byte string of raw, status, header, body, message,
	// prefix and suffix.
	Bytes Bytes
	// Text is the JSON text of json, the status text of error-page and the
	// regular expression of message-like and escape-like.
	Text string
	// N is the code of error-page, the length of length, the byte count of
	// at and the count of escapes.
	N int
	// Mark is the mark an at clause reads.
	Mark string
	// Ends are the acceptable ends of an end clause.
	Ends []End
	// Comment holds the comment lines before the clause.
	Comment []string
	// Line is the clause's line in its file (not written back).
	Line int
}
