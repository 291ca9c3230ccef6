package pyrun

import (
	"bytes"
	"strconv"
	"time"

	"github.com/europi-http/europi-http/server"
)

// ConnectionLog describes one connection a relay carried to the script's
// server, for the request log and the dashboard: the relay sees bytes
// only, so the method, path and status come from the request's and the
// response's first lines.
func ConnectionLog(peer string, started time.Time, took time.Duration, request, response []byte) server.RequestLog {
	l := server.RequestLog{Time: started, Peer: peer, Method: "-", Path: "-", Bytes: len(response),
		Duration: took, Request: request, Response: response}
	fields := bytes.Fields(firstLine(request))
	const maxField = 200
	if len(fields) > 0 {
		l.Method = string(fields[0][:min(len(fields[0]), maxField)])
	}
	if len(fields) > 1 {
		l.Path = string(fields[1][:min(len(fields[1]), maxField)])
	}
	if status := bytes.Fields(firstLine(response)); len(status) > 1 && bytes.HasPrefix(status[0], []byte("HTTP/")) {
		l.Status, _ = strconv.Atoi(string(status[1]))
	}
	if len(response) == 0 {
		l.Outcome = server.OutcomeNoResponse
	}
	return l
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimRight(b, "\r")
}
