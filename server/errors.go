package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
)

// DefaultHandlerMessage is the message of the NotImplementedError the
// default request handler raises.
const DefaultHandlerMessage = "No request handler set"

// NotImplementedError is what a handler returns to get upstream's 501 page,
// as raising NotImplementedError does in Python. Its Message is the page's
// paragraph.
type NotImplementedError struct {
	// Message is str(err) on the device: the text the 501 page shows.
	Message string
}

// Error returns Message unchanged, as str() of the Python exception does.
func (e *NotImplementedError) Error() string { return e.Message }

// OSError marks a socket failure, the errors upstream catches as OSError.
// Conn.Send wraps every write error in one, so handlers can tell a dead
// client from their own bugs.
type OSError struct {
	// Op is the socket call that failed: "recv", "send" or "accept".
	Op string
	// Err is the underlying error from the connection.
	Err error
}

// Error describes the failed call and its cause.
func (e *OSError) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying connection error.
func (e *OSError) Unwrap() error { return e.Err }

// IsOSError reports whether err is a socket failure that upstream would
// catch as OSError (and so stop check_requests quietly), rather than a
// handler exception that becomes a 500 page.
func IsOSError(err error) bool {
	if err == nil {
		return false
	}
	var osErr *OSError
	var netErr net.Error
	var errno syscall.Errno
	return errors.As(err, &osErr) || errors.As(err, &netErr) || errors.As(err, &errno) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrClosedPipe)
}

// ScriptStoppedError is what CheckRequests returns where upstream's
// check_requests() would have let an exception escape and so ended the
// device script: writing an error page to a client that already left
// fails inside upstream's except block.
type ScriptStoppedError struct {
	// Peer is the client whose connection raised it.
	Peer string
	// Err is the exception that would have escaped.
	Err error
}

// Error says that the device script would have stopped, and why.
func (e *ScriptStoppedError) Error() string {
	return fmt.Sprintf("device script would have stopped here: writing the error page to %s failed: %v", e.Peer, e.Err)
}

// Unwrap returns the escaping exception.
func (e *ScriptStoppedError) Unwrap() error { return e.Err }

// PanicError is the error a recovered handler panic becomes. Its text is
// the panic value, the way str(err) is the exception's message upstream.
type PanicError struct {
	// Value is what the handler panicked with.
	Value any
}

// Error formats the panic value.
func (e *PanicError) Error() string {
	if err, ok := e.Value.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(e.Value)
}
