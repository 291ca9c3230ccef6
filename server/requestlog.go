package server

import (
	"bytes"
	"strings"
	"time"
)

// RequestLog describes one served connection, for logs and dashboards.
type RequestLog struct {
	// Time is when the connection was accepted.
	Time time.Time
	// Peer is the client's address.
	Peer string
	// Method and Path come from the request's first line ("-" if absent).
	Method, Path string
	// Status is the code of the first status line sent, 0 if none was.
	Status int
	// Bytes is how many bytes the client was sent.
	Bytes int
	// Duration is how long the connection took, accept to close.
	Duration time.Duration
	// Request holds the bytes read (at most RequestLimit).
	Request []byte
	// Response holds the bytes sent, cut at MaxLoggedBytes.
	//
	// The server never writes Request or Response again once OnRequest is
	// called, so a reader may keep them without copying; it must not
	// modify them.
	Response []byte
	// Outcome is OutcomeServed for a normal response, or says what went
	// wrong.
	Outcome Outcome
	// Err is the error behind Outcome, or the handler's exception.
	Err error
}

// Outcome says how a served connection ended. Its text is what logs and
// the dashboard show.
type Outcome string

// The outcomes of a connection.
const (
	// OutcomeServed is a connection answered normally (the zero value).
	OutcomeServed Outcome = ""
	// OutcomeReadFailed is a connection whose recv() raised an OSError.
	OutcomeReadFailed Outcome = "read failed"
	// OutcomeNoResponse is a connection the handler sent nothing on.
	OutcomeNoResponse Outcome = "no response"
	// OutcomeSendFailed is a connection whose handler's send raised an
	// OSError.
	OutcomeSendFailed Outcome = "send failed"
	// OutcomeScriptStopped is where upstream's check_requests() would have
	// let an exception escape, ending the device script.
	OutcomeScriptStopped Outcome = "script stopped"
)

// requestLine splits a request's first line into method and path for the
// log; anything it cannot find is "-".
func requestLine(raw []byte) (method, path string) {
	line := raw
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(strings.TrimRight(string(line), "\r"))
	method, path = "-", "-"
	if len(fields) > 0 {
		method = fields[0]
	}
	if len(fields) > 1 {
		path = fields[1]
	}
	const maxField = 200 // keep garbage from flooding a log line
	if len(method) > maxField {
		method = method[:maxField] + "…"
	}
	if len(path) > maxField {
		path = path[:maxField] + "…"
	}
	return method, path
}
