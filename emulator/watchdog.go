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

// watched is a run the watchdog checks: a load or a handler call.
type watched interface {
	// check looks at the run once, and cancels it when it must stop.
	check()
}

// watchdog checks every running load and handler call every
// memorySampleInterval once it lasts (see watchdogSlowTick), from one
// goroutine for all of them. A handler
// call costs it a map insert and delete, not a timer of its own: arming a
// timer per call woke the network poller with a system call on every
// request. The goroutine runs while there are runs to watch, and exits
// after watchdogIdleExit without any.
type watchdog struct {
	mu      sync.Mutex
	runs    map[watched]struct{}
	running bool
}

// runWatchdog is the watchdog of every run in the process.
var runWatchdog = &watchdog{runs: map[watched]struct{}{}}

// watch adds r to the runs checked, until unwatch. A check may still be
// under way when unwatch returns: r.check must tell a finished run itself.
func (w *watchdog) watch(r watched) {
	w.mu.Lock()
	w.runs[r] = struct{}{}
	if !w.running {
		w.running = true
		go w.loop()
	}
	w.mu.Unlock()
}

// unwatch removes r from the runs checked.
func (w *watchdog) unwatch(r watched) {
	w.mu.Lock()
	delete(w.runs, r)
	w.mu.Unlock()
}

func (w *watchdog) loop() {
	timer := time.NewTimer(watchdogSlowTick)
	defer timer.Stop()
	idleSince := time.Now()
	var runs []watched
	seen := map[watched]bool{} // the runs of the last look
	for now := range timer.C {
		w.mu.Lock()
		runs = runs[:0]
		for r := range w.runs {
			runs = append(runs, r)
		}
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
		for _, r := range runs {
			if seen[r] {
				next = memorySampleInterval // a run is lasting: watch it closely
			}
			r.check()
		}
		clear(seen)
		for _, r := range runs {
			seen[r] = true
		}
		timer.Reset(next)
	}
}
