package recorder

import (
	"fmt"
	"strings"
	"time"

	"github.com/europi-http/europi-http/conformance/response"
)

// Summary returns the one line a recorder prints for a finished
// connection: its number, client, request, what each side sent, how it
// ended, and the file written ("" for none) or why there is none.
func Summary(s *Session, written string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%04d %s", s.Seq, s.Client)
	if sent := s.Sent(); len(sent) > 0 {
		fmt.Fprintf(&b, " %s", printable(cut(requestLine(sent), 60)))
	} else {
		b.WriteString(" (nothing sent)")
	}
	fmt.Fprintf(&b, ": %d B in %d read(s)", len(s.Sent()), s.count(EventSend))
	resp := response.Split(s.Received())
	fmt.Fprintf(&b, ", %d B back", len(resp.Raw))
	if len(resp.Status) > 0 {
		fmt.Fprintf(&b, " (%s)", printable(cut(strings.TrimSuffix(string(resp.Status), "\r\n"), 60)))
	}
	if s.Outcome != OutcomeRecorded {
		fmt.Fprintf(&b, "; not recorded: %s", s.Outcome)
		if s.Err != "" {
			fmt.Fprintf(&b, " (%s)", s.Err)
		}
		return b.String()
	}
	fmt.Fprintf(&b, ", end %s, %s", connEnd(s), s.Duration().Round(time.Millisecond))
	if s.ClientLeft {
		b.WriteString(", client left early")
	}
	if written != "" {
		fmt.Fprintf(&b, " -> %s", written)
	}
	return b.String()
}
