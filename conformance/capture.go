package conformance

import (
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Capture is what one run of a scenario's steps saw.
type Capture struct {
	// Conns holds one capture per connection, in order of first use.
	Conns []*ConnCapture
	// Marks maps a mark's name to the bytes each connection had received
	// when the mark step ran.
	Marks map[string]map[string]int
	// StepErrors are the steps that failed (a refused dial, a failed write).
	StepErrors []StepError
	// Escapes are the exceptions that escaped check_requests() during the
	// scenario; nil when the target cannot report them.
	Escapes []string
	// EscapesKnown is true when the target reported escapes.
	EscapesKnown bool
	// Duration is how long the steps took, reads included.
	Duration time.Duration
	// Deadline is the whole-scenario deadline the run had: its steps and
	// reads together, however often bytes arrived.
	Deadline time.Duration
	// Overran is true when the deadline passed before the steps and reads
	// were done: the runner cut the scenario short (connections it closed
	// then ended by EndDeadline).
	Overran bool
}

// ConnCapture is what one connection received and how it ended.
type ConnCapture struct {
	// Name is the connection's name in the scenario.
	Name string
	// Local is the client's own address ("127.0.0.1:50000"), as the
	// server sees the peer; "" when the dial failed. It ties a target's
	// reports about a connection (device profile events) to the
	// connection.
	Local string
	// Data is the bytes received, in order, up to what the connection
	// keeps (DefaultKeep, or more where the expectation needs it).
	Data []byte
	// Cut counts the bytes received after Data was full, which were
	// counted but not kept; 0 when Data is everything.
	Cut int
	// Chunks are the reads whose bytes were kept, with their time since
	// the scenario started: the segment timing a recorder keeps. Each
	// chunk's Data shares Data's memory. After maxChunks reads, later ones
	// are counted into the last chunk.
	Chunks []Chunk
	// End is how the connection ended.
	End scenario.End
	// Err is the error text for EndError and EndRefused.
	Err string
}

// Received returns how many bytes the connection received, kept or not.
func (cc *ConnCapture) Received() int { return len(cc.Data) + cc.Cut }

// Chunk is one read's bytes and when they arrived.
type Chunk struct {
	// At is the time since the scenario started.
	At time.Duration
	// Data is what the read returned (the part of it that was kept).
	Data []byte
}

// StepError is a step that failed.
type StepError struct {
	// Index is the step's index in Scenario.Steps.
	Index int
	// Step is the step.
	Step scenario.Step
	// Err says what failed.
	Err string
}
