package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// probeRequest is sent after a scenario to a target that reports escapes:
// once the single-threaded server has answered it, every escape the
// scenario caused has been reported.
const probeRequest = "GET / HTTP/1.0\r\n\r\n"

// Status is a scenario's outcome on one target.
type Status string

// The outcomes.
const (
	// StatusPass means every expectation held.
	StatusPass Status = "pass"
	// StatusDifference means every expectation held, and an override that
	// declares a difference from the base applied.
	StatusDifference Status = "xdiff"
	// StatusFail means an expectation did not hold.
	StatusFail Status = "fail"
	// StatusSkip means the scenario was not run on this target (see
	// Result.Notes).
	StatusSkip Status = "skip"
)

// Result is one scenario's outcome on one target.
type Result struct {
	// ID is the scenario's ID.
	ID string
	// Target is the target's name.
	Target string
	// Status is the outcome.
	Status Status
	// Differences are the declared differences that applied.
	Differences []string
	// Failures are the expectations that did not hold in the last attempt.
	Failures []Failure
	// Retries counts the attempts after the first; RetryReasons says why
	// each was made.
	Retries      int
	RetryReasons []string
	// Duration covers every attempt and pause.
	Duration time.Duration
	// Notes are remarks such as checks that could not be made.
	Notes []string
	// Abandoned is why the run stopped before this scenario (it was not
	// run): the target was not answering (see NotAnswering); "" when it
	// ran.
	Abandoned string
	// Outcome names which of the outcomes the scenario declares for the
	// target's labels the last attempt showed; "" when it declares none or
	// the target showed none of them (a note then says so).
	Outcome string
	// ProfileEvents are what the target's device profile changed on the
	// last attempt's connections (and on its listener meanwhile), oldest
	// first; see ProfileRules.
	ProfileEvents []ProfileEvent
	// Scenario, Resolved and Capture are the last attempt's details.
	Scenario *scenario.Scenario
	Resolved *Resolved
	Capture  *Capture
}

// Runner runs scenarios one at a time against a target (a device serves one
// connection at a time, and scenarios may leave it busy).
type Runner struct {
	// Timeout is the idle timeout for scenarios that set none; 0 means
	// scenario.DefaultTimeout.
	Timeout time.Duration
	// ScenarioTimeout bounds each attempt of a scenario, its steps and
	// reads together, however often bytes arrive; 0 means
	// DefaultScenarioTimeout of the idle timeout, plus the scenario's waits.
	ScenarioTimeout time.Duration
	// Keep is how many bytes each connection keeps (more when a scenario's
	// expectation needs more); 0 means DefaultKeep.
	Keep int
	// Retry says when a failed attempt runs again.
	Retry RetryPolicy
	// OnResult, when set, gets each result as soon as it is known.
	OnResult func(Result)
	// GiveUpAfter is how many scenarios in a row may find the target not
	// answering (no response where one was expected before the idle
	// timeout or the scenario's deadline) before the run stops; 0 means
	// DefaultGiveUpAfter, negative never.
	GiveUpAfter int
}

// Run runs the scenarios in order and returns their results. It stops
// early, with the results so far, when ctx ends. When the target stops
// answering (see GiveUpAfter) the rest are not run: each is a skipped
// result whose Abandoned says why.
func (r *Runner) Run(ctx context.Context, t Target, scenarios []*scenario.Scenario) []Result {
	out := make([]Result, 0, len(scenarios))
	g := giveUp{after: r.GiveUpAfter}
	stop := ""
	for _, s := range scenarios {
		if ctx.Err() != nil {
			break
		}
		var res Result
		if stop != "" {
			res = notRun(t, s, stop)
		} else {
			res = r.RunScenario(ctx, t, s)
			stop = g.note(res)
		}
		out = append(out, res)
		if r.OnResult != nil {
			r.OnResult(res)
		}
	}
	return out
}

// expectedEscapes returns the escape count the resolved [device] clauses
// expect (0 without one).
func expectedEscapes(res *Resolved) int {
	for _, ef := range res.Device {
		if ef.Kind == scenario.ClauseEscapes {
			return ef.N
		}
	}
	return 0
}

// RunScenario runs one scenario against a target, retrying as the policy
// allows.
func (r *Runner) RunScenario(ctx context.Context, t Target, s *scenario.Scenario) Result {
	start := time.Now()
	alts := ResolveOutcomes(s, t.Labels)
	resolved := alts[0]
	res := Result{ID: s.ID, Target: t.Name, Scenario: s, Resolved: resolved, Differences: resolved.Differences}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = r.Timeout
	}
	if timeout == 0 {
		timeout = scenario.DefaultTimeout
	}
	lim := widenLimits(scenarioLimits(resolved, timeout, r.ScenarioTimeout, r.Keep), alts)
	stops := expectedEscapes(resolved)
	if stops > 0 && t.Escapes == nil {
		if !t.KeepsServing {
			res.Status = StatusSkip
			res.Notes = append(res.Notes, fmt.Sprintf("not run: the device script would stop here (%d escape(s) from check_requests()), and %s cannot report it", stops, t.Name))
			res.Duration = time.Since(start)
			return res
		}
		res.Notes = append(res.Notes, "the device script would stop here; this target cannot report escapes, so that is not checked")
	}

	if len(s.Inputs) > 0 && t.Panel == nil {
		res.Notes = append(res.Notes, fmt.Sprintf("the scenario's [inputs] were not set: %s has no panel this run can set", t.Name))
	}

	for attempt := 1; ; attempt++ {
		if f := setInputs(t, s); f != nil {
			res.Failures = []Failure{*f}
			break
		}
		before, eventsBefore := 0, profileEventCount(t)
		if t.Escapes != nil {
			before = len(t.Escapes.Escapes())
		}
		capture := execute(ctx, t.Addr, s, lim)
		eventsAfterSteps := profileEventCount(t)
		var failures []Failure
		if t.Escapes != nil {
			if f := collectEscapes(ctx, t, capture, before, eventsBefore, stops, timeout); f != nil {
				failures = append(failures, *f)
			}
		}
		checked := checkOutcomes(alts, capture)
		resolved = checked.resolved
		failures = append(failures, checked.failures...)
		res.Capture, res.Failures = capture, failures
		res.Resolved, res.Differences, res.Outcome = resolved, checked.differences, checked.outcome
		res.ProfileEvents = profileEventsOf(t, eventsBefore, eventsAfterSteps, capture)

		reason := r.Retry.Reason(attempt, resolved, capture, failures)
		if reason == "" && t.ProfileEvents != nil {
			reason = r.Retry.ProfileReason(attempt, failures)
		}
		if reason == "" || ctx.Err() != nil {
			break
		}
		res.Retries++
		res.RetryReasons = append(res.RetryReasons, reason)
		pause := time.NewTimer(r.Retry.Delay(attempt))
		select {
		case <-pause.C:
		case <-ctx.Done():
			pause.Stop()
		}
	}

	if len(alts) > 1 && res.Outcome == "" && res.Resolved != nil {
		res.Notes = append(res.Notes, missedOutcomes(alts, res.Resolved))
	}
	switch {
	case len(res.Failures) > 0:
		res.Status = StatusFail
	case len(res.Differences) > 0:
		res.Status = StatusDifference
	default:
		res.Status = StatusPass
	}
	res.Duration = time.Since(start)
	return res
}

// setInputs sets the scenario's panel inputs on a target that has a
// panel, and returns a failure when it refuses them.
func setInputs(t Target, s *scenario.Scenario) *Failure {
	if t.Panel == nil || len(s.Inputs) == 0 {
		return nil
	}
	if err := t.Panel.SetInputs(s.Inputs); err != nil {
		return &Failure{Section: "inputs", Line: s.Inputs[0].Line, What: "inputs", Offset: -1,
			Detail: "the target refused the scenario's inputs: " + err.Error()}
	}
	return nil
}

// collectEscapes fills in the escapes a scenario caused. It first has the
// target answer a probe, so every escape from the scenario's connections
// has been reported, then waits (within timeout) for the expected count.
// It returns a failure when the target does not answer the probe, unless
// the target's device profile reports it lost the probe: the server then
// took the probe, and so finished every earlier connection, all the same.
func collectEscapes(ctx context.Context, t Target, c *Capture, before, eventsBefore, want int, timeout time.Duration) *Failure {
	local, probeErr := probe(ctx, t.Addr, timeout)
	if probeErr != nil && probeLost(t, eventsBefore, local) {
		probeErr = nil
	}
	if want > 0 {
		wctx, cancel := context.WithTimeout(ctx, timeout)
		_, _ = t.Escapes.WaitEscapes(wctx, before+want)
		cancel()
	}
	all := t.Escapes.Escapes()
	c.Escapes = append([]string{}, all[min(before, len(all)):]...)
	c.EscapesKnown = true
	if probeErr != nil {
		return &Failure{Section: "device", What: "probe", Offset: -1,
			Detail: fmt.Sprintf("the target did not answer %q after the scenario: %v", probeRequest, probeErr)}
	}
	return nil
}

// probe sends probeRequest and reads the answer to its end. It returns the
// probe's local address ("" if the dial failed).
func probe(ctx context.Context, addr string, timeout time.Duration) (string, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	local := conn.LocalAddr().String()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return local, err
	}
	if _, err := io.WriteString(conn, probeRequest); err != nil {
		return local, err
	}
	n, err := io.Copy(io.Discard, conn)
	if err != nil {
		return local, err
	}
	if n == 0 {
		return local, errors.New("no bytes before the close")
	}
	return local, nil
}
