package emulator

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"
)

// DefaultMemoryLimit is how far one handler call (or the script's top
// level) may grow the heap when Config.MemoryLimit is 0: far beyond the
// device's 200 KB, and small enough that a runaway script cannot take the
// machine down with it.
const DefaultMemoryLimit = 64 << 20

// memorySampleInterval is how often the watchdog looks at the heap while
// a script runs (after a first look within watchdogSlowTick). Doubling a
// string from 64 MiB takes longer than this, so `s = s + s` stops within
// a doubling or two of the limit.
const memorySampleInterval = time.Millisecond

// heapObjectsMetric is the bytes in heap objects, live or not yet swept:
// unlike the live-heap metric it moves with every allocation.
const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

// memoryError is the MemoryError a script gets when it needs more memory
// than its limit. Its text is the 500 page's message or the load error.
type memoryError struct{ msg string }

func (e *memoryError) Error() string { return "MemoryError: " + e.msg }

// memoryWatch bounds what one load or handler call adds to the heap. The
// Go heap is shared, so it measures the whole process: the heap's growth
// from the watchdog's first look at the run, confirmed after a collection
// so garbage does not count. Past the limit it cancels the thread, which
// stops at its next step; one builtin call that allocates a lot runs to its
// end first, which is why the builtins that can (range, list, ..., `*`)
// check sizes before they allocate.
//
// The first look, not the run's start, sets the base: reading the heap
// costs a call about a microsecond and a lock shared with the runtime,
// and most handler calls end long before the watchdog's first look
// (watchdogSlowTick), so they never pay it. What a run allocates before
// that look is not counted; at the rate a script can allocate, that is a
// few MiB at most, and no single allocation escapes the size checks.
type memoryWatch struct {
	limit uint64
	// base is the heap at the first look (valid once based is set);
	// collectAt is the heap size past which a look collects garbage to
	// measure.
	base, collectAt uint64
	based           bool
	thread          *starlark.Thread

	// err is the MemoryError once the run exceeded the limit or refused
	// an allocation; it is set once, from either goroutine.
	err atomic.Pointer[memoryError]
	// grewPast is set when the heap really grew past the limit, rather
	// than an allocation being refused before it happened.
	grewPast atomic.Bool

	mu      sync.Mutex // serialises sampling with stop
	stopped bool
	sample  [1]metrics.Sample
}

// newMemoryWatch returns the watch of a run of thread; the run's watchdog
// calls check while it runs.
func newMemoryWatch(thread *starlark.Thread, limit uint64) *memoryWatch {
	w := &memoryWatch{}
	w.reset(thread, limit)
	return w
}

// reset readies w for a new run of thread, as newMemoryWatch would make
// it: a handler call's watch is reused by the next call.
func (w *memoryWatch) reset(thread *starlark.Thread, limit uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.limit, w.thread = limit, thread
	w.base, w.collectAt, w.based = 0, 0, false
	w.err.Store(nil)
	w.grewPast.Store(false)
	w.stopped = false
	w.sample[0].Name = heapObjectsMetric
}

func (w *memoryWatch) heapObjects() uint64 {
	metrics.Read(w.sample[:])
	return w.sample[0].Value.Uint64()
}

// growth is how far the heap grew since the first look.
func (w *memoryWatch) growth() uint64 {
	if now := w.heapObjects(); now > w.base {
		return now - w.base
	}
	return 0
}

// check samples the heap and cancels the run past the limit; the first
// check only takes the base.
func (w *memoryWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	if !w.based {
		w.base, w.based = w.heapObjects(), true
		w.collectAt = addSat(w.base, w.limit)
		return
	}
	if w.heapObjects() > w.collectAt {
		// Garbage counts until it is collected; only what survives a
		// collection is the script's.
		runtime.GC()
		grown := w.growth()
		if grown > w.limit {
			w.fail(fmt.Sprintf("memory limit of %s exceeded (the heap grew by %s)", formatBytes(w.limit), formatBytes(grown)))
			w.grewPast.Store(true)
			w.thread.Cancel(w.err.Load().Error())
			return
		}
		// A script that holds nearly its limit while it makes garbage
		// would otherwise have the heap collected at every sample.
		w.collectAt = max(w.collectAt, addSat(w.base+grown, w.limit/4))
	}
}

// addSat is a+b, or the largest uint64 if that overflows.
func addSat(a, b uint64) uint64 {
	if a+b < a {
		return math.MaxUint64
	}
	return a + b
}

// fail records the run's MemoryError, keeping the first.
func (w *memoryWatch) fail(msg string) {
	w.err.CompareAndSwap(nil, &memoryError{msg: msg})
}

// exceeded returns the run's MemoryError, or nil.
func (w *memoryWatch) exceeded() *memoryError {
	if w == nil {
		return nil
	}
	return w.err.Load()
}

// stop ends the watch; no sample runs after it returns.
func (w *memoryWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.thread = nil // the run is over: do not keep its values reachable
}

// releasing is set while a release runs, so failures in a row start one;
// releases counts the releases started, for tests.
var (
	releasing atomic.Bool
	releases  atomic.Int64
)

// release gives the memory a run that ran out of it grew the heap by back
// to the operating system, in the background: the Go runtime would keep
// it for minutes (478 MB of RSS stayed 35 s after one such call). A run
// whose allocation was refused before it happened grew nothing, and
// releases nothing.
func (w *memoryWatch) release() {
	if !w.grewPast.Load() || !releasing.CompareAndSwap(false, true) {
		return
	}
	releases.Add(1)
	// A moment later, once the run's frames are no longer reachable.
	time.AfterFunc(releaseDelay, func() {
		defer releasing.Store(false)
		debug.FreeOSMemory()
	})
}

// releaseDelay is how long after a run ends its memory is released.
const releaseDelay = 10 * time.Millisecond

// threadMemoryLimit is the memory limit of the thread's run.
func threadMemoryLimit(thread *starlark.Thread) uint64 {
	if e, err := threadEnv(thread); err == nil && e.mem != nil {
		return e.mem.limit
	}
	return DefaultMemoryLimit
}

// outOfMemory returns the MemoryError for an allocation a builtin refused,
// and marks the run as failed with it, so catch() passes it on as it does
// the step limit.
func outOfMemory(thread *starlark.Thread, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if e, err := threadEnv(thread); err == nil && e.mem != nil {
		e.mem.fail(msg)
		return e.mem.exceeded()
	}
	return &memoryError{msg: msg}
}

// checkAlloc refuses, with a MemoryError, an operation that alone needs
// more than the memory limit: need is its estimated size in bytes, what
// describes it.
func checkAlloc(thread *starlark.Thread, need uint64, what string) error {
	limit := threadMemoryLimit(thread)
	if need <= limit {
		return nil
	}
	size := "about " + formatBytes(need)
	if need == math.MaxUint64 { // mulSat's "too many to count"
		size = "more than " + formatBytes(need)
	}
	return outOfMemory(thread, "%s needs %s, more than the memory limit of %s", what, size, formatBytes(limit))
}

// formatBytes writes n in the largest binary unit that keeps it whole or
// above 1: "64 MiB", "1.5 GiB", "700 bytes".
func formatBytes(n uint64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	f, unit := float64(n)/(1<<10), units[0]
	for _, u := range units[1:] {
		if f < 1<<10 {
			break
		}
		f, unit = f/(1<<10), u
	}
	return fmt.Sprintf("%.4g %s", f, unit)
}
