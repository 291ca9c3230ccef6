package conformance

import (
	"fmt"
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// RetryPolicy says when a failed attempt is run again. A device refuses a
// connection while its accept queue is full and resets one whose data lwIP
// had not handed over yet; such an attempt says nothing about the
// implementation, so it is retried after a pause that doubles each time.
// Every retry is counted in the result and the reports; none is hidden.
type RetryPolicy struct {
	// Max is how many times a scenario may be retried after its first
	// attempt; 0 disables retries.
	Max int
	// Backoff is the pause before the first retry.
	Backoff time.Duration
	// MaxBackoff caps the pause.
	MaxBackoff time.Duration
}

// DefaultRetry is the policy the runner uses unless told otherwise.
var DefaultRetry = RetryPolicy{Max: 2, Backoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second}

// Delay returns the pause before retry number n (1 for the first retry).
func (p RetryPolicy) Delay(n int) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// Reason returns why a failed attempt may be retried: a connection that
// was refused, one reset before a single byte arrived where the scenario
// did not expect a reset, or one answered where the scenario expects the
// request lost (`raw ""`): a device that loses requests by timing serves
// the odd one that reaches it between accept() and recv(). It returns ""
// when the attempt passed or failed for any other reason, and when retry n
// would exceed Max.
func (p RetryPolicy) Reason(n int, r *Resolved, c *Capture, failures []Failure) string {
	if n > p.Max || len(failures) == 0 {
		return ""
	}
	for _, cc := range c.Conns {
		switch {
		case cc.End == scenario.EndRefused && !expectsEndOf(r, cc.Name, scenario.EndRefused):
			return fmt.Sprintf("connection %s refused", cc.Name)
		case cc.End == scenario.EndRST && len(cc.Data) == 0 && !expectsEndOf(r, cc.Name, scenario.EndRST):
			return fmt.Sprintf("connection %s reset before any byte arrived", cc.Name)
		case len(cc.Data) > 0 && expectsSilence(r, cc.Name):
			return fmt.Sprintf("connection %s answered where the request should have been lost", cc.Name)
		}
	}
	return ""
}

// ProfileReason returns why a failed attempt on a target under a device
// profile may be retried, when Reason gives none: the profile's rules race
// the client (a request or a close that reaches the emulated socket
// between accept() and recv() is served instead of lost), so a rare
// attempt goes the other way than the scenario expects, as it would on a
// device. It returns "" when the attempt passed or retry n would exceed
// Max.
func (p RetryPolicy) ProfileReason(n int, failures []Failure) string {
	if n > p.Max || len(failures) == 0 {
		return ""
	}
	return "under a device profile timing may decide: " + failures[0].Summary()
}

// expectsSilence reports whether a connection's expectation is that no
// byte arrives (`raw ""`).
func expectsSilence(r *Resolved, conn string) bool {
	for _, e := range r.Conns {
		if e.Conn != conn {
			continue
		}
		for _, c := range e.Clauses {
			if c.Kind == scenario.ClauseRaw && len(c.Bytes.Value()) == 0 {
				return true
			}
		}
	}
	return false
}

// expectsEndOf reports whether a connection's end clause allows end.
func expectsEndOf(r *Resolved, conn string, end scenario.End) bool {
	for _, e := range r.Conns {
		if e.Conn == conn && expectsEnd(e, end) {
			return true
		}
	}
	return false
}
