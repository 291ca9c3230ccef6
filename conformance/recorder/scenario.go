package recorder

import (
	"fmt"
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// DefaultGap is the pause below which two reads from the client go on to
// the server as one write (see Relay.Gap), and so are one send: a write
// the relay happened to read in two parts, not two segments the client
// meant. A first send sooner than it after the connect has no wait.
const DefaultGap = 5 * time.Millisecond

// inlineSend is the longest byte string written on one line; longer ones
// are cut after each line feed, as --update writes bodies.
const inlineSend = 80

// Scenario turns a recorded session into a scenario with the given ID.
// The scenario is checked as Parse checks a file, so what it returns can
// be written and replayed; a session that was not recorded whole is an
// error.
func Scenario(s *Session, id string) (*scenario.Scenario, error) {
	if s.Outcome != OutcomeRecorded {
		return nil, fmt.Errorf("connection %d was not recorded whole: %s", s.Seq, s.Outcome)
	}
	steps := Steps(s)
	sc := &scenario.Scenario{
		ID: id,
		Comment: []string{
			fmt.Sprintf("Recorded by europi-http record: client %s through the relay to %s,", s.Client, s.Upstream),
			fmt.Sprintf("at %s. The expectation is what that server sent.", s.Started.UTC().Format(time.RFC3339)),
		},
		Description: describe(s, steps),
		Rules:       rulesFor(s, steps),
		Steps:       steps,
		Sections:    []*scenario.Section{expectSection(s)},
		Timeout:     scenarioTimeout(s),
	}
	// Parse of Format is what conform will do with the file; doing it here
	// turns a recording the format cannot hold into an error, not a file.
	if _, err := scenario.Parse(id, scenario.Format(sc)); err != nil {
		return nil, fmt.Errorf("connection %d: the recording does not make a valid scenario: %w", s.Seq, err)
	}
	return sc, nil
}

// Steps returns what the relay did towards the server as scenario steps:
// each write to the server as a send (the relay already forwarded reads
// closer than its gap in one write; merging more here would replay a
// segmentation the server never received), the pauses between them as
// waits, and a half-close or reset that came before the server ended. A
// send that came after
// the server had answered or ended may fail on replay, and says so; one
// after the server's end waits for that end (await) first. The
// client's close after the server's end is left out: a replay closes
// anyway.
func Steps(s *Session) []scenario.Step {
	var out []scenario.Step
	var last time.Duration // when the last step was taken
	spoke, ended, awaited := false, false, false
	pause := func(at time.Duration, first bool) {
		d := (at - last).Round(time.Millisecond)
		if first {
			out = append(out, scenario.Step{Kind: scenario.StepConnect, Conn: scenario.MainConn})
		}
		if d >= time.Millisecond {
			out = append(out, scenario.Step{Kind: scenario.StepWait, Wait: d})
		}
		last = at
	}
	for _, e := range s.Events {
		switch e.Kind {
		case EventRecv:
			spoke = true
		case EventFIN, EventRST, EventTimeout:
			ended = true
		case EventSend:
			first := len(out) == 0
			switch {
			case ended && !awaited:
				// The server had ended before this send: a replay waits
				// for that, not for a pause that may be too short.
				if first {
					out = append(out, scenario.Step{Kind: scenario.StepConnect, Conn: scenario.MainConn})
				}
				out = append(out, scenario.Step{Kind: scenario.StepAwait, Conn: scenario.MainConn})
				awaited = true
			case !first || e.At >= DefaultGap:
				pause(e.At, first)
			}
			last = e.At
			out = append(out, scenario.Step{Kind: scenario.StepSend, Conn: scenario.MainConn,
				Data: layout(e.Data), MayFail: spoke || ended})
		case EventShutdown, EventReset:
			if ended {
				continue
			}
			pause(e.At, len(out) == 0)
			kind := scenario.StepShutdown
			if e.Kind == EventReset {
				kind = scenario.StepReset
			}
			out = append(out, scenario.Step{Kind: kind, Conn: scenario.MainConn})
		}
	}
	if len(out) == 0 {
		out = append(out, scenario.Step{Kind: scenario.StepConnect, Conn: scenario.MainConn})
	}
	return out
}

// scenarioTimeout returns the idle timeout a replay needs: the recorder's
// own when the connection ended by it, or when a pause in the recording
// was long enough that the runner's default might end the replay early.
func scenarioTimeout(s *Session) time.Duration {
	if s.ServerEnd() == EventTimeout {
		return s.Idle
	}
	var prev, longest time.Duration
	for _, e := range s.Events {
		longest = max(longest, e.At-prev)
		prev = e.At
	}
	if longest >= scenario.DefaultTimeout/2 {
		return max(s.Idle, 2*longest)
	}
	return 0
}

// countSends returns the number of send steps.
func countSends(steps []scenario.Step) int {
	n := 0
	for _, st := range steps {
		if st.Kind == scenario.StepSend {
			n++
		}
	}
	return n
}
