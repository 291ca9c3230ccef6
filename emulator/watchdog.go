package emulator

import (
	"sync"
	"time"
)

// watchdogIdleExit is how long the watchdog goroutine lingers with
// nothing to watch before it exits; the next run starts it again.
const watchdogIdleExit = 100 * time.Millisecond

// watchdogSlowTick is how often the watchdog looks while every run it
// sees is new (a busy server's short calls): waking every millisecond
// for calls that end in microseconds cost every request CPU time. Once a
// run is still there at the next look, it looks every
// memorySampleInterval.
const watchdogSlowTick = 10 * time.Millisecond

// watchdog checks every running load and handler call every
// memorySampleInterval once it lasts (see watchdogSlowTick), from one
// goroutine for all of them. A handler call costs it an append to a
// slice and a swap out of it, not a timer of its own (arming a timer per
// call woke the network poller with a system call on every request) nor
// a map's hashing. The goroutine runs while there are runs to watch, and
// exits after watchdogIdleExit without any.
type watchdog struct {
	mu      sync.Mutex
	runs    []*runWatch // each knows its index, for removal
	running bool
}

// runWatchdog is the watchdog of every run in the process.
var runWatchdog = &watchdog{}

// watch adds r to the runs checked, until unwatch. A check may still be
// under way when unwatch returns: r.check must tell a finished run itself.
func (w *watchdog) watch(r *runWatch) {
	w.mu.Lock()
	r.slot = len(w.runs)
	w.runs = append(w.runs, r)
	if !w.running {
		w.running = true
		go w.loop()
	}
	w.mu.Unlock()
}

// unwatch removes r, which watch added, from the runs checked.
func (w *watchdog) unwatch(r *runWatch) {
	w.mu.Lock()
	last := len(w.runs) - 1
	moved := w.runs[last]
	w.runs[r.slot], moved.slot = moved, r.slot
	w.runs[last] = nil
	w.runs = w.runs[:last]
	w.mu.Unlock()
}

func (w *watchdog) loop() {
	timer := time.NewTimer(watchdogSlowTick)
	defer timer.Stop()
	idleSince := time.Now()
	var runs []*runWatch
	// seen is the run each watched thread was in at the last look: a
	// thread's runs follow each other, and only the same run still going
	// is a lasting one.
	seen, looked := map[*runWatch]uint64{}, map[*runWatch]uint64{}
	for now := range timer.C {
		w.mu.Lock()
		runs = append(runs[:0], w.runs...)
		if len(runs) == 0 && now.Sub(idleSince) > watchdogIdleExit {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		if len(runs) > 0 {
			idleSince = now
		}
		next := watchdogSlowTick
		clear(looked)
		for _, r := range runs {
			run := r.check()
			if run != 0 && seen[r] == run {
				next = memorySampleInterval // a run is lasting: watch it closely
			}
			looked[r] = run
		}
		seen, looked = looked, seen
		clear(runs) // keep no finished run reachable until the next look
		timer.Reset(next)
	}
}
