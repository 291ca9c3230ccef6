package conformance

import (
	"context"
	"sync"

	"github.com/europi-http/europi-http/internal/broadcast"
)

// EscapeLog is an EscapeReporter that a target's owner feeds: Add records
// one place where the device script would have stopped. The zero value is
// ready to use.
type EscapeLog struct {
	mu      sync.Mutex
	all     []string
	changed broadcast.Signal // notified on each Add
}

// Add records an escape and wakes every WaitEscapes.
func (l *EscapeLog) Add(escape string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, escape)
	l.changed.Notify()
}

// Escapes returns every escape so far, oldest first.
func (l *EscapeLog) Escapes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.all...)
}

// WaitEscapes waits until at least n escapes happened or ctx ends, and
// returns them all.
func (l *EscapeLog) WaitEscapes(ctx context.Context, n int) ([]string, error) {
	for {
		l.mu.Lock()
		all := append([]string(nil), l.all...)
		changed := l.changed.Wait()
		l.mu.Unlock()
		if len(all) >= n {
			return all, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return all, ctx.Err()
		}
	}
}
