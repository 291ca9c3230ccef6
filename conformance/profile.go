package conformance

import "slices"

// ProfileEvent is one thing a device profile changed on a connection,
// as plain strings: the conformance package knows no emulator, and the
// command turns the emulator's profile events into these.
type ProfileEvent struct {
	// Peer is the client's address, the connection's ConnCapture.Local;
	// "-" for an event about the listener, such as a connection limit.
	Peer string
	// Rule is the rule's name, such as "accept-timeout-0".
	Rule string
	// Kind says what the rule did: "lost", "cut-request",
	// "cut-response", "reset", "wait" or "fixed".
	Kind string
	// Text is the event as a log line, saying in words what happened.
	Text string
}

// ProfileEventLost is the Kind of an event whose rule made the client get
// no response at all.
const ProfileEventLost = "lost"

// ProfileReporter is a target running under a device profile that reports
// what the profile's rules did.
type ProfileReporter interface {
	// ProfileEvents returns every event so far, oldest first. An event
	// about a connection is reported before the client can see its
	// effect.
	ProfileEvents() []ProfileEvent
}

// profileEventCount returns how many events the target's profile has
// reported so far (0 without one).
func profileEventCount(t Target) int {
	if t.ProfileEvents == nil {
		return 0
	}
	return len(t.ProfileEvents.ProfileEvents())
}

// profileEventsOf returns the events since eventsBefore that concern the
// capture's connections, and those about the listener until the steps
// ended (eventsAfterSteps): the escape probe's events are left out, as are
// other clients'.
func profileEventsOf(t Target, eventsBefore, eventsAfterSteps int, c *Capture) []ProfileEvent {
	if t.ProfileEvents == nil {
		return nil
	}
	peers := map[string]bool{}
	for _, cc := range c.Conns {
		if cc.Local != "" {
			peers[cc.Local] = true
		}
	}
	var out []ProfileEvent
	all := t.ProfileEvents.ProfileEvents()
	for i := eventsBefore; i < len(all); i++ {
		if e := all[i]; peers[e.Peer] || (e.Peer == "-" && i < eventsAfterSteps) {
			out = append(out, e)
		}
	}
	return out
}

// probeLost reports whether the target's device profile lost the request
// of the connection from local, since eventsBefore.
func probeLost(t Target, eventsBefore int, local string) bool {
	if t.ProfileEvents == nil || local == "" {
		return false
	}
	all := t.ProfileEvents.ProfileEvents()
	return slices.ContainsFunc(all[min(eventsBefore, len(all)):], func(e ProfileEvent) bool {
		return e.Peer == local && e.Kind == ProfileEventLost
	})
}

// ProfileRules returns the names of the device profile's rules that acted
// on the scenario's connections, in the order they first acted: the rules
// behind an expected difference or a failure on a profiled target.
func (r Result) ProfileRules() []string {
	var out []string
	for _, e := range r.ProfileEvents {
		if !slices.Contains(out, e.Rule) {
			out = append(out, e.Rule)
		}
	}
	return out
}
