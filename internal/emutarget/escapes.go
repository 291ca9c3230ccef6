package emutarget

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/server"
)

// escapeLog records where the emulated device script would have stopped,
// so the target reports escapes as upstream's harness does.
type escapeLog struct{ conformance.EscapeLog }

// record is the server's OnRequest hook.
func (l *escapeLog) record(r server.RequestLog) {
	if r.Outcome == server.OutcomeScriptStopped {
		l.Add(escapeText(r.Err))
	}
}

// escapeText names an escape as upstream's harness does, "<type>: <message>",
// with the Python exception a Go socket error stands for, so the scenarios'
// escape-like patterns fit both.
func escapeText(err error) string {
	switch {
	case errors.Is(err, syscall.EPIPE):
		return "BrokenPipeError: " + err.Error()
	case errors.Is(err, syscall.ECONNRESET):
		return "ConnectionResetError: " + err.Error()
	}
	return "OSError: " + fmt.Sprint(err)
}
