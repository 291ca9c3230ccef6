package conformance

import (
	"fmt"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// DefaultGiveUpAfter is how many scenarios in a row may find a target not
// answering before a run stops: one such scenario costs its whole
// deadline, and a target that accepts and never answers (or trickles)
// would cost it for every scenario of the suite.
const DefaultGiveUpAfter = 3

// NotAnswering is the reason a run stopped early, in every result it did
// not run: the target stopped answering.
const NotAnswering = "target not answering"

// unanswered reports whether a result found the target not answering: the
// scenario failed, and every connection that expected a response got no
// complete one (nothing arrived before the idle timeout or the scenario's
// deadline, or the connect failed), or the scenario outlasted its
// deadline. It returns what happened, for the reason a run gives.
func unanswered(res Result) (string, bool) {
	if res.Status != StatusFail || res.Capture == nil || res.Resolved == nil {
		return "", false
	}
	if res.Capture.Overran {
		return fmt.Sprintf("%s took longer than its %s deadline", res.ID, res.Capture.Deadline), true
	}
	waited := 0
	for _, e := range res.Resolved.Conns {
		if !expectsResponse(e) {
			continue
		}
		cc := findConn(res.Capture, e.Conn)
		if cc == nil {
			continue
		}
		switch cc.End {
		case scenario.EndTimeout, scenario.EndDeadline, scenario.EndRefused:
		default:
			return "", false // an answer, however wrong
		}
		waited++
	}
	if waited == 0 {
		return "", false
	}
	what := "no answer"
	if f := res.Failures; len(f) > 0 {
		what = f[0].Summary()
	}
	return fmt.Sprintf("%s: %s", res.ID, what), true
}

// giveUp counts the scenarios in a row that found the target not
// answering, and says when a run should stop.
type giveUp struct {
	after int // 0: DefaultGiveUpAfter; negative: never
	row   int
	last  string
}

// note counts a result and returns the reason to stop, or "".
func (g *giveUp) note(res Result) string {
	if res.Status == StatusSkip {
		return ""
	}
	what, ok := unanswered(res)
	if !ok {
		g.row = 0
		return ""
	}
	g.row++
	g.last = what
	after := g.after
	if after == 0 {
		after = DefaultGiveUpAfter
	}
	if after < 0 || g.row < after {
		return ""
	}
	return fmt.Sprintf("%s: %d scenarios in a row got no answer (last: %s)", NotAnswering, g.row, g.last)
}

// notRun is the result of a scenario a run stopped before.
func notRun(t Target, s *scenario.Scenario, why string) Result {
	return Result{ID: s.ID, Target: t.Name, Status: StatusSkip, Scenario: s, Abandoned: why,
		Notes: []string{"not run: " + why}}
}
