package server

import (
	"bytes"
	"time"
	"unicode"
	"unicode/utf8"
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
// log, as strings.Fields would split it; anything it cannot find is "-".
// It converts only the two fields it returns, in one string: the serving
// loop calls it for every logged request.
func requestLine(raw []byte) (method, path string) {
	line := raw
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	m0, m1 := nextField(line, 0)
	p0, p1 := nextField(line, m1)
	method, path = "-", "-"
	switch {
	case p0 < p1:
		both := string(line[m0:p1])
		method, path = both[:m1-m0], both[p0-m0:]
	case m0 < m1:
		method = string(line[m0:m1])
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

// nextField returns the bounds of the first field of line at or after
// from: a run of runes that unicode.IsSpace does not match, as
// strings.Fields finds them. It returns from == to when there is none.
func nextField(line []byte, from int) (start, end int) {
	i := from
	for i < len(line) {
		r, n := utf8.DecodeRune(line[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	start = i
	for i < len(line) {
		r, n := utf8.DecodeRune(line[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return start, i
}
