package emulator

import (
	"context"
	"time"
)

// WatchInterval is how often a watching emulator looks at its script's
// files on disk, so a change is reloaded (and logged) soon after it is
// saved, not only when the next request comes.
const WatchInterval = 250 * time.Millisecond

// watch reloads the script whenever its files change, until ctx ends.
func (e *Emulator) watch(ctx context.Context) {
	tick := time.NewTicker(WatchInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			e.calls.Lock()
			e.reloadIfChanged(ctx)
			e.calls.Unlock()
		}
	}
}

// StatusChanged returns a channel that is closed at the next change of
// Status (a reload tried); take it before reading Status so that a change
// in between is not missed.
func (e *Emulator) StatusChanged() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.statusCh == nil {
		e.statusCh = make(chan struct{})
	}
	return e.statusCh
}
