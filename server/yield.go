package server

import (
	"runtime"
	"time"
)

// yieldEvery is how often a busy serving loop yields to Go's scheduler:
// half the runtime's 10 ms preemption slice. Yielding more often cost
// more than it saved (a yield wakes an idle thread to look for work).
const yieldEvery = 5 * time.Millisecond

// yielder makes a serving loop that never parks look, to Go's runtime,
// like the goroutine of short turns it is.
//
// Served with blocking system calls (blocking_linux.go), a busy loop finds
// its next connection already queued, so it never waits in the poller: it
// waits only in the kernel, and its processor's schedule tick stops
// moving. After 10 ms of that, the runtime's monitor thread takes it for a
// goroutine that will not yield: it takes the processor away during every
// blocking call and goes back to polling every 20 µs: 0.6 wake-ups of the
// monitor per request at one connection, and a tenth to a fifth of the CPU
// time. Yielding every yieldEvery keeps the tick moving, so the monitor
// backs off to its idle pace; a yield is one pass through the scheduler,
// once per many requests.
type yielder struct {
	last  time.Time
	yield func() // nil: runtime.Gosched; a test counts calls with it
}

// after is called when a connection was served or a poll began, at now:
// it yields when the last yield is yieldEvery or more ago.
func (y *yielder) after(now time.Time) {
	if now.Sub(y.last) < yieldEvery {
		return
	}
	y.last = now
	if y.yield != nil {
		y.yield()
		return
	}
	runtime.Gosched()
}
