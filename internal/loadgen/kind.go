package loadgen

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
)

// ErrorKind names why a request failed.
type ErrorKind string

const (
	// Refused means the connection was refused: nothing listens there, or
	// the listen backlog was full.
	Refused ErrorKind = "refused"
	// Reset means the connection was reset (or the pipe broke) before the
	// response was complete, as the device does when it closes with unread
	// input.
	Reset ErrorKind = "reset"
	// Timeout means the request did not finish within Config.Timeout: no
	// connection, no answer, or no close.
	Timeout ErrorKind = "timeout"
	// ShortBody means the server closed before the response was complete:
	// no blank line ending the header block, or fewer body bytes than the
	// expected length.
	ShortBody ErrorKind = "short body"
	// Other is any other failure (unreachable host, a body longer than
	// expected, ...); Result.ErrorSamples says which.
	Other ErrorKind = "other"
)

// Kinds lists every ErrorKind in the order reports print them.
var Kinds = []ErrorKind{Refused, Reset, Timeout, ShortBody, Other}

// classify maps a dial, write or read error to its kind.
func classify(err error) ErrorKind {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return Reset
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return Timeout
	}
	return Other
}
