package pyrun

import (
	"context"
	"os"
	"time"
)

// watcher polls a list of files for changes of size or modification time.
type watcher struct {
	files    func() []string
	interval time.Duration
}

func newWatcher(files func() []string, interval time.Duration) *watcher {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	return &watcher{files: files, interval: interval}
}

// fileStamp is what a poll compares.
type fileStamp struct {
	size int64
	mod  time.Time
}

func (w *watcher) snapshot() map[string]fileStamp {
	m := map[string]fileStamp{}
	for _, f := range w.files() {
		if st, err := os.Stat(f); err == nil {
			m[f] = fileStamp{st.Size(), st.ModTime()}
		}
	}
	return m
}

// changes returns a channel that gets a value after each change, until
// ctx ends; changes that come while one waits to be taken merge into it.
func (w *watcher) changes(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		last := w.snapshot()
		tick := time.NewTicker(w.interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			now := w.snapshot()
			if !sameStamps(last, now) {
				last = now
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out
}

func sameStamps(a, b map[string]fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
