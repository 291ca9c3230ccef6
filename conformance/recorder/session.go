package recorder

import (
	"bytes"
	"sort"
	"time"
)

// EventKind is what happened on a relayed connection, seen from the
// server's side of the relay.
type EventKind string

// The events a relay records. The first three are the relay's actions
// towards the server on the client's behalf; the others are what the
// server did.
const (
	// EventSend is one read from the client, written on to the server.
	EventSend EventKind = "send"
	// EventShutdown is the client's FIN, passed on as a half-close.
	EventShutdown EventKind = "shutdown"
	// EventReset is the client's reset (or a read error), passed on as a
	// reset (SO_LINGER 0).
	EventReset EventKind = "reset"
	// EventRecv is one read from the server, written on to the client.
	EventRecv EventKind = "recv"
	// EventFIN is the server's FIN.
	EventFIN EventKind = "fin"
	// EventRST is the server's reset.
	EventRST EventKind = "rst"
	// EventTimeout is the idle timeout: nothing moved either way, and the
	// relay closed both sides.
	EventTimeout EventKind = "timeout"
)

// Event is one thing that happened on a relayed connection.
type Event struct {
	// At is the time since the connection to the server opened.
	At time.Duration
	// Kind is what happened.
	Kind EventKind
	// Data is what a send or recv carried.
	Data []byte
}

// Outcome says whether a session was recorded whole.
type Outcome string

// The outcomes of a session. Only OutcomeRecorded sessions become
// scenarios: a cut recording would replay as something that never
// happened.
const (
	// OutcomeRecorded means both sides ended (or the idle timeout did).
	OutcomeRecorded Outcome = "recorded"
	// OutcomeOverCap means the connection passed the byte cap; the relay
	// reset both sides.
	OutcomeOverCap Outcome = "over the byte cap"
	// OutcomeInterrupted means the relay stopped while the connection was
	// open; it reset both sides.
	OutcomeInterrupted Outcome = "interrupted"
	// OutcomeNoUpstream means the server could not be reached; the relay
	// reset the client.
	OutcomeNoUpstream Outcome = "upstream unreachable"
)

// Session is one relayed connection.
type Session struct {
	// Seq numbers the connection in the order the relay accepted it.
	Seq int
	// Client is the client's address.
	Client string
	// Upstream is the server's address.
	Upstream string
	// Started is when the connection to the server opened; every event's
	// At counts from it.
	Started time.Time
	// Idle is the idle timeout the relay applied.
	Idle time.Duration
	// Events are in time order.
	Events []Event
	// ClientLeft is true when a write to the client failed: the client had
	// closed completely, so the rest of the server's answer went nowhere
	// (the relay still read it to the end).
	ClientLeft bool
	// Outcome says whether the session was recorded whole.
	Outcome Outcome
	// Err says what went wrong for an outcome other than recorded.
	Err string
}

// sortEvents puts events in time order; the two directions append from
// their own goroutines, so the order of appends is not quite the order of
// reads.
func (s *Session) sortEvents() {
	sort.SliceStable(s.Events, func(i, j int) bool { return s.Events[i].At < s.Events[j].At })
}

// Sent returns every byte the client sent, in order.
func (s *Session) Sent() []byte { return s.join(EventSend) }

// Received returns every byte the server sent, in order.
func (s *Session) Received() []byte { return s.join(EventRecv) }

func (s *Session) join(kind EventKind) []byte {
	var b bytes.Buffer
	for _, e := range s.Events {
		if e.Kind == kind {
			b.Write(e.Data)
		}
	}
	return b.Bytes()
}

// count returns how many events of a kind there are.
func (s *Session) count(kind EventKind) int {
	n := 0
	for _, e := range s.Events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// ServerEnd returns how the server's side ended: EventFIN, EventRST,
// EventTimeout, or "" when the client's close or reset came first.
func (s *Session) ServerEnd() EventKind {
	for _, e := range s.Events {
		switch e.Kind {
		case EventFIN, EventRST, EventTimeout:
			return e.Kind
		case EventReset:
			return ""
		}
	}
	return ""
}

// Duration is the time from the server connection's opening to the last
// event.
func (s *Session) Duration() time.Duration {
	if len(s.Events) == 0 {
		return 0
	}
	return s.Events[len(s.Events)-1].At
}
