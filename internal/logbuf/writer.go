package logbuf

import (
	"io"
	"sync"
	"time"
)

// DefaultInterval is how long a line may wait in the buffer: short enough
// that a person watching the log sees each request as it happens.
const DefaultInterval = 100 * time.Millisecond

// maxBuffered is how many bytes may wait before a Write flushes them
// itself: a destination that cannot keep up slows the writer down, as an
// unbuffered one would, instead of the buffer growing without bound.
const maxBuffered = 256 << 10

// Writer buffers what is written to it and writes it to its destination
// at most an interval after it arrived, when the buffer fills, and at
// Flush and Close. Each Write's bytes go out together and in order. It is
// safe for concurrent use; a slow destination never holds up a Write
// that fits in the buffer.
type Writer struct {
	dst      io.Writer
	interval time.Duration

	mu      sync.Mutex // guards buf, spare, timer, closed
	buf     []byte
	spare   []byte
	timer   *time.Timer
	armed   bool
	closed  bool
	writeMu sync.Mutex // serialises writes to dst, keeping their order
	err     error      // the last write error, reported by Flush and Close
}

// New returns a Writer to dst that flushes within interval (0 means
// DefaultInterval).
func New(dst io.Writer, interval time.Duration) *Writer {
	if interval <= 0 {
		interval = DefaultInterval
	}
	w := &Writer{dst: dst, interval: interval}
	w.timer = time.AfterFunc(time.Hour, func() { _ = w.Flush() })
	w.timer.Stop()
	return w
}

// Write buffers p. After Close it writes p through at once.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		w.writeMu.Lock()
		defer w.writeMu.Unlock()
		return w.dst.Write(p)
	}
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= maxBuffered
	if !full && !w.armed {
		// One timer per interval with lines in it, not one per line.
		w.armed = true
		w.timer.Reset(w.interval)
	}
	w.mu.Unlock()
	if full {
		return len(p), w.Flush()
	}
	return len(p), nil
}

// Flush writes what is buffered now, and returns the first error a write
// to the destination met since the last Flush.
func (w *Writer) Flush() error {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	out := w.buf
	w.buf, w.spare = w.spare[:0], nil
	w.armed = false
	w.timer.Stop()
	w.mu.Unlock()
	if len(out) > 0 {
		if _, err := w.dst.Write(out); err != nil && w.err == nil {
			w.err = err
		}
	}
	w.mu.Lock()
	if w.spare == nil && cap(out) <= maxBuffered*2 {
		w.spare = out[:0] // reuse the buffer written from
	}
	w.mu.Unlock()
	err := w.err
	w.err = nil
	return err
}

// Close flushes the buffer; later Writes go straight to the destination.
func (w *Writer) Close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	return w.Flush()
}
