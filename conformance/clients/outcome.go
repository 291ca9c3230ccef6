package clients

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Verdict sums up what a client made of a response.
type Verdict string

// The verdicts.
const (
	// VerdictOK means the client accepted the response.
	VerdictOK Verdict = "ok"
	// VerdictRefused means the client rejected the response as malformed.
	VerdictRefused Verdict = "refused"
	// VerdictFailed means the exchange failed otherwise: a reset, a
	// timeout, a connection the client could not make.
	VerdictFailed Verdict = "failed"
	// VerdictNA means the client cannot send this request.
	VerdictNA Verdict = "n/a"
	// VerdictMissing means the client is not installed.
	VerdictMissing Verdict = "missing"
)

// Header is one header as a client kept it.
type Header struct {
	// Name is the header's name as the client reports it.
	Name string `json:"name"`
	// Value is its value.
	Value string `json:"value"`
}

// Outcome is what one client made of one response.
type Outcome struct {
	// Client names the client.
	Client string `json:"client"`
	// Verdict sums it up.
	Verdict Verdict `json:"verdict"`
	// Status is the status code the client saw (0 when it refused).
	Status int `json:"status,omitempty"`
	// RawStatus is the device's status for the scenario's own bytes, set
	// when the client's request got another: the client's request itself
	// reached the server differently (its body in a later segment, say).
	RawStatus int `json:"raw_status,omitempty"`
	// Kept are the headers the client kept, in its order.
	Kept []Header `json:"kept,omitempty"`
	// Dropped are the device's header lines the client did not keep.
	Dropped []string `json:"dropped,omitempty"`
	// Body is the body as the client received it.
	Body []byte `json:"body,omitempty"`
	// Charset is the character set a browser decoded the body with.
	Charset string `json:"charset,omitempty"`
	// Shown is the text a browser shows for the page.
	Shown string `json:"shown,omitempty"`
	// Download is true when a browser saved the answer as a file instead
	// of showing it.
	Download bool `json:"download,omitempty"`
	// Garbled is true when the client shows the device's UTF-8 text as
	// something else: a browser that decoded it with another Charset, or a
	// body that differs from the device's.
	Garbled bool `json:"garbled,omitempty"`
	// Reason is the short form of Error for the table.
	Reason string `json:"reason,omitempty"`
	// Error is the client's own message when it refused or failed.
	Error string `json:"error,omitempty"`
	// ExitCode is a command-line client's exit status.
	ExitCode int `json:"exit_code,omitempty"`
	// Duration is how long the client took.
	Duration time.Duration `json:"duration_ns"`
}

// Cell renders the outcome for the table: "ok 200", "refused: malformed
// MIME header", "ok 200, dropped lines: charset=utf-8", "n/a: POST".
func (o Outcome) Cell() string {
	switch o.Verdict {
	case VerdictOK:
		s := fmt.Sprintf("ok %d", o.Status)
		if o.RawStatus != 0 {
			s += fmt.Sprintf(" (raw request: %d)", o.RawStatus)
		}
		if len(o.Dropped) > 0 {
			s += ", dropped lines: " + strings.Join(o.Dropped, ", ")
		}
		switch {
		case o.Download:
			s += ", saved as a download"
		case o.Garbled && o.Charset != "":
			s += ", text garbled (read as " + o.Charset + ")"
		case o.Garbled:
			s += ", body differs"
		}
		return s
	case VerdictMissing:
		return "missing"
	}
	if o.Reason != "" {
		return string(o.Verdict) + ": " + o.Reason
	}
	return string(o.Verdict)
}

// droppedLines returns the raw header lines that no kept header stands
// for. A line stands kept when a header of its name (the text before its
// colon, or the whole line without one) has its value.
func droppedLines(raw []string, kept []Header) []string {
	var out []string
	for _, line := range raw {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			name, value = line, ""
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		found := false
		for _, h := range kept {
			if strings.EqualFold(h.Name, name) && strings.TrimSpace(h.Value) == value {
				found = true
				break
			}
		}
		if !found {
			out = append(out, line)
		}
	}
	return out
}

// garbled reports whether a client shows a UTF-8 body the device sent as
// something else: decoded with a charset other than UTF-8, or different
// bytes. Plain ASCII reads the same either way.
func garbled(device []byte, o Outcome) bool {
	if !utf8.Valid(device) || isASCII(device) {
		return false
	}
	if o.Charset != "" {
		return o.Charset != "utf-8"
	}
	return !bytes.Equal(device, o.Body)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// firstLine returns s up to its first line end, for reasons.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
