package server

import (
	"net"
	"sync"
	"time"
)

// stallWatch warns when a client keeps the loop waiting in its one read.
// One goroutine per server looks at the read in progress a few times per
// StallWarning, instead of a timer per request: arming a timer per read
// woke the network poller with a system call on every request. The
// goroutine runs while requests are read and exits after a quiet spell.
type stallWatch struct {
	mu      sync.Mutex
	reading bool
	peer    net.Addr
	since   time.Time // when the read in progress began, or the last ended
	warned  bool
	running bool
}

// stallIdleExit is how long the watch lingers without reads before its
// goroutine exits (in StallWarnings).
const stallIdleExit = 4

// begin notes that a read from peer starts; s's StallWarning is stall.
func (w *stallWatch) begin(s *HttpServer, peer net.Addr, stall time.Duration) {
	w.mu.Lock()
	w.reading, w.peer, w.since, w.warned = true, peer, time.Now(), false
	if !w.running {
		w.running = true
		go w.loop(s, stall)
	}
	w.mu.Unlock()
}

// end notes that the read finished.
func (w *stallWatch) end() {
	w.mu.Lock()
	w.reading, w.since = false, time.Now()
	w.mu.Unlock()
}

func (w *stallWatch) loop(s *HttpServer, stall time.Duration) {
	tick := time.NewTicker(max(stall/10, time.Millisecond))
	defer tick.Stop()
	for now := range tick.C {
		w.mu.Lock()
		if !w.reading && now.Sub(w.since) > stallIdleExit*stall || s.isClosed() {
			w.running = false
			w.mu.Unlock()
			return
		}
		var peer net.Addr
		if w.reading && !w.warned && now.Sub(w.since) >= stall {
			w.warned, peer = true, w.peer
		}
		w.mu.Unlock()
		if peer != nil {
			// Quirk: a client that connects and sends nothing blocks the
			// whole loop, as on the device; say so instead of hanging
			// silently.
			s.logf("WARNING client %s has sent nothing for %v: the loop is stalled until it sends or closes (as on the device)", peer, stall)
		}
	}
}
