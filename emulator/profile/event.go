package profile

import (
	"fmt"
	"strconv"
	"time"
)

// Kind says what a rule did to a connection.
type Kind string

// The kinds of Event.
const (
	// KindLost means the request was lost; the client got no response.
	KindLost Kind = "lost"
	// KindCutRequest means the server saw only part of the request.
	KindCutRequest Kind = "cut-request"
	// KindCutResponse means the client got only part of the response.
	KindCutResponse Kind = "cut-response"
	// KindReset means the connection ended with a reset.
	KindReset Kind = "reset"
	// KindWait means a client or the server waited; nothing was lost.
	KindWait Kind = "wait"
	// KindFixed means a patched rule did what the device could not; the
	// unpatched firmware would have lost or cut something here.
	KindFixed Kind = "fixed"
	// KindRaceWon means a request that the rule usually loses reached the
	// socket in time and was answered.
	KindRaceWon Kind = "race-won"
)

// phrase is what an Event line says the profile would have done.
func (k Kind) phrase() string {
	switch k {
	case KindLost:
		return "lost this request"
	case KindCutRequest:
		return "read only part of this request"
	case KindCutResponse:
		return "cut this response short"
	case KindReset:
		return "reset this connection"
	case KindWait:
		return "waited"
	case KindFixed:
		return "needed its fix for this request"
	case KindRaceWon:
		return "answered this request only by winning the accept race"
	}
	return string(k)
}

// Event says which rule changed what on which connection. Wrap's callback
// gets one each time a rule makes the connection differ from the host.
type Event struct {
	// Time is when the rule acted.
	Time time.Time
	// Profile is the profile's Label.
	Profile string
	// Rule is the rule's name.
	Rule string
	// Kind says what the rule did.
	Kind Kind
	// Peer is the client's address, "-" for an event about the listener.
	Peer string
	// Request is the request's first line as far as it had arrived, or "".
	Request string
	// Detail says in words what happened.
	Detail string
}

// Lost reports whether the client got no response because of the rule.
func (e Event) Lost() bool { return e.Kind == KindLost }

// String renders the event as a log line, for example
// `127.0.0.1:50000 pico-w would have lost this request "GET / HTTP/1.1":
// rule accept-timeout-0 (recv raised EAGAIN ...)`.
func (e Event) String() string {
	line := fmt.Sprintf("%s %s would have %s", e.Peer, e.Profile, e.Kind.phrase())
	if e.Request != "" {
		line += " " + strconv.QuoteToASCII(e.Request)
	}
	return line + ": rule " + e.Rule + " (" + e.Detail + ")"
}
