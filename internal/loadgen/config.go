package loadgen

import (
	"errors"
	"fmt"
	"time"
)

// DefaultTimeout bounds one request (dial, write and read to the close) when
// Config.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// DefaultProgressEvery is how often Config.Progress is called when
// Config.ProgressEvery is zero.
const DefaultProgressEvery = time.Second

// MaxConnections caps Config.Connections: far above what a Pico W can take
// (five TCP connections at once), and low enough that a typo cannot exhaust
// the client's file descriptors.
const MaxConnections = 1024

// MaxRequestBytes caps Config.Request. The device reads only the first 1024
// bytes; more than this is a mistake, not a benchmark.
const MaxRequestBytes = 1 << 20

// Config says what Run sends where, and for how long.
type Config struct {
	// Addr is the host:port to dial for every request.
	Addr string
	// Request holds the bytes written once on each connection (see
	// NewRequest).
	Request []byte
	// Connections is how many requests are in flight at once, each on its
	// own connection; 1 to MaxConnections.
	Connections int
	// Duration ends the run after this long. Exactly one of Duration and
	// Requests must be set.
	Duration time.Duration
	// Requests ends the run after this many requests, counted across all
	// connections.
	Requests int64
	// Timeout bounds each request from dial to the server's close; zero
	// means DefaultTimeout.
	Timeout time.Duration
	// ExpectBody is the body length every response should have, used to
	// tell a cut response (short body) from a complete one when the
	// response carries no Content-Length, as the device's never do. Zero
	// or less means unknown.
	ExpectBody int64
	// Progress, if set, is called every ProgressEvery while the run goes on
	// and once more when it ends (with Final set), from one goroutine.
	Progress func(Progress)
	// ProgressEvery is the interval between Progress calls; zero means
	// DefaultProgressEvery.
	ProgressEvery time.Duration
}

// validate checks c and returns it with defaults filled in.
func (c Config) validate() (Config, error) {
	switch {
	case c.Addr == "":
		return c, errors.New("loadgen: no address to dial")
	case len(c.Request) == 0:
		return c, errors.New("loadgen: the request is empty")
	case len(c.Request) > MaxRequestBytes:
		return c, fmt.Errorf("loadgen: the request is %d bytes, more than the limit of %d", len(c.Request), MaxRequestBytes)
	case c.Connections < 1 || c.Connections > MaxConnections:
		return c, fmt.Errorf("loadgen: connections must be between 1 and %d, not %d", MaxConnections, c.Connections)
	case c.Duration < 0:
		return c, fmt.Errorf("loadgen: negative duration %v", c.Duration)
	case c.Requests < 0:
		return c, fmt.Errorf("loadgen: negative request count %d", c.Requests)
	case c.Duration > 0 && c.Requests > 0:
		return c, errors.New("loadgen: set a duration or a request count, not both")
	case c.Duration == 0 && c.Requests == 0:
		return c, errors.New("loadgen: set a duration or a request count: a run must end by itself")
	case c.Timeout < 0:
		return c, fmt.Errorf("loadgen: negative timeout %v", c.Timeout)
	case c.ProgressEvery < 0:
		return c, fmt.Errorf("loadgen: negative progress interval %v", c.ProgressEvery)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ProgressEvery == 0 {
		c.ProgressEvery = DefaultProgressEvery
	}
	return c, nil
}
