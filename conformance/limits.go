package conformance

import (
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// DefaultKeep is how many bytes of each connection a run keeps when the
// scenario's expectation needs no more. Every response of the fixture fits
// many times over; a target that floods the runner costs it no more than
// this per connection. The bytes beyond it are counted (ConnCapture.Cut),
// so length and at clauses still judge the whole response.
const DefaultKeep = 1 << 20

// maxKeep bounds what an expectation can make a connection keep: a
// `length` clause may name any number.
const maxKeep = 256 << 20

// keepSlack is kept beyond what an expectation needs, for a status line and
// header block longer than the expected ones.
const keepSlack = 64 << 10

// maxChunks bounds ConnCapture.Chunks: a target that sends a byte per
// segment would otherwise cost a chunk per byte. Later reads are counted
// into the last chunk.
const maxChunks = 4096

// ScenarioTimeoutFactor and MinScenarioTimeout make the default deadline of
// a whole scenario attempt (see DefaultScenarioTimeout).
const (
	// ScenarioTimeoutFactor multiplies the idle timeout.
	ScenarioTimeoutFactor = 10
	// MinScenarioTimeout is the least default deadline, for scenarios with
	// a short idle timeout.
	MinScenarioTimeout = 5 * time.Second
)

// DefaultScenarioTimeout returns the deadline of one attempt of a scenario
// when none is set: ScenarioTimeoutFactor times the idle timeout, at least
// MinScenarioTimeout. The idle timeout alone does not bound a scenario,
// since every byte restarts it: a target trickling a byte a second would
// keep a scenario going for ever.
func DefaultScenarioTimeout(idle time.Duration) time.Duration {
	return max(ScenarioTimeoutFactor*idle, MinScenarioTimeout)
}

// limits bounds one run of a scenario's steps.
type limits struct {
	// idle is the idle timeout of every dial, write and read.
	idle time.Duration
	// scenario is the deadline of the whole run, reads included.
	scenario time.Duration
	// keep is how many bytes each connection keeps, by name; keepDefault
	// for a connection not in the map.
	keep        map[string]int
	keepDefault int
}

// keepFor returns how many bytes the named connection keeps.
func (l limits) keepFor(conn string) int {
	if n, ok := l.keep[conn]; ok {
		return n
	}
	if l.keepDefault > 0 {
		return l.keepDefault
	}
	return DefaultKeep
}

// scenarioLimits returns the limits of one attempt of s as resolved for a
// target: the idle timeout, the whole-scenario deadline (scenarioTimeout,
// or the default plus the scenario's waits, which take their time whatever
// the target does, but at most the default again: a wait is cut at the
// deadline, so a scenario cannot wait for an hour) and what each
// connection keeps (keep, 0 for DefaultKeep, or more where the
// expectation needs more).
func scenarioLimits(r *Resolved, idle, scenarioTimeout time.Duration, keep int) limits {
	if keep <= 0 {
		keep = DefaultKeep
	}
	l := limits{idle: idle, scenario: scenarioTimeout, keep: map[string]int{}, keepDefault: keep}
	if l.scenario <= 0 {
		base := DefaultScenarioTimeout(idle)
		var waits time.Duration
		for _, st := range r.Scenario.Steps {
			if st.Kind == scenario.StepWait {
				waits += st.Wait
			}
		}
		l.scenario = base + min(waits, base)
	}
	for _, e := range r.Conns {
		l.keep[e.Conn] = max(keep, min(expectedSize(e), maxKeep)+keepSlack)
	}
	return l
}

// expectedSize returns how many bytes of a connection its expectation
// needs to see to be judged: the head it states plus the longest body
// (or raw response) it states or, by a length clause, implies.
func expectedSize(e *Expectation) int {
	head, body := 0, 0
	for _, ef := range e.Clauses {
		switch ef.Kind {
		case scenario.ClauseStatus, scenario.ClauseHeader:
			head += ef.Bytes.Len()
		case scenario.ClauseRaw, scenario.ClauseBody, scenario.ClausePrefix, scenario.ClauseSuffix:
			body = max(body, ef.Bytes.Len())
		case scenario.ClauseJSON:
			body = max(body, len(ef.Text))
		case scenario.ClauseLength:
			body = max(body, ef.N)
		}
	}
	return min(head, maxKeep) + min(body, maxKeep)
}
