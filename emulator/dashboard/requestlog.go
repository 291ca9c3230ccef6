package dashboard

import (
	"sync"
	"time"

	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/broadcast"
	"github.com/europi-http/europi-http/server"
)

// DefaultLogSize is how many requests the dashboard keeps when
// Options.LogSize is 0: a screenful of history, at most about 13 MiB with
// full-size responses.
const DefaultLogSize = 200

// LogEntry is one served connection as the API lists it.
type LogEntry struct {
	// ID numbers the entries from 1, in the order they were recorded.
	ID uint64 `json:"id"`
	// Time is when the connection was accepted.
	Time time.Time `json:"time"`
	// Peer is the client's address.
	Peer string `json:"peer"`
	// Method and Path come from the request line ("-" if absent).
	Method string `json:"method"`
	Path   string `json:"path"`
	// Status is the first status code sent, 0 if none was.
	Status int `json:"status"`
	// Bytes is how many bytes the client was sent.
	Bytes int `json:"bytes"`
	// DurationMS is how long the connection took, in milliseconds.
	DurationMS float64 `json:"duration_ms"`
	// Outcome says what went wrong, if anything ("read failed", ...).
	Outcome string `json:"outcome,omitempty"`
	// Error is the error behind Outcome, or the handler's exception.
	Error string `json:"error,omitempty"`
	// Rule names the device-profile rule that changed the outcome, if one did.
	Rule string `json:"rule,omitempty"`
}

// LogDetail is one entry with its raw bytes.
type LogDetail struct {
	LogEntry
	// Request and Response are the raw bytes, escaped to readable text by
	// Escape.
	Request  string `json:"request"`
	Response string `json:"response"`
	// RequestBytes and ResponseBytes are the same bytes, exact (base64 in
	// JSON).
	RequestBytes  []byte `json:"request_bytes"`
	ResponseBytes []byte `json:"response_bytes"`
	// ResponseCut reports that the server kept only the start of a long
	// response (server.MaxLoggedBytes).
	ResponseCut bool `json:"response_cut,omitempty"`
}

// requestLog keeps the last requests in a ring, and wakes waiters when one
// is added.
type requestLog struct {
	mu      sync.Mutex
	size    int
	entries []LogDetail // oldest first, at most size
	next    uint64
	changed broadcast.Signal
}

func newRequestLog(size int) *requestLog {
	if size <= 0 {
		size = DefaultLogSize
	}
	return &requestLog{size: size, next: 1}
}

// add records l, copying its bytes: the server owns the slices.
func (r *requestLog) add(l server.RequestLog) {
	d := LogDetail{
		LogEntry: LogEntry{
			Time: l.Time, Peer: l.Peer, Method: l.Method, Path: l.Path,
			Status: l.Status, Bytes: l.Bytes,
			DurationMS: float64(l.Duration.Microseconds()) / 1000,
			Outcome:    string(l.Outcome),
		},
		RequestBytes:  append([]byte{}, l.Request...),
		ResponseBytes: append([]byte{}, l.Response...),
		ResponseCut:   l.Bytes > len(l.Response),
	}
	if l.Err != nil {
		d.Error = l.Err.Error()
	}
	d.Rule, _ = profile.RuleOf(l.Err)
	d.Request, d.Response = Escape(d.RequestBytes), Escape(d.ResponseBytes)

	r.mu.Lock()
	defer r.mu.Unlock()
	d.ID = r.next
	r.next++
	if len(r.entries) == r.size {
		// Drop the oldest; copy down rather than reslice so the backing
		// array does not grow without bound.
		copy(r.entries, r.entries[1:])
		r.entries = r.entries[:len(r.entries)-1]
	}
	r.entries = append(r.entries, d)
	r.changed.Notify()
}

// after returns the entries with an ID above id, oldest first.
func (r *requestLog) after(id uint64) []LogEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []LogEntry{}
	for _, d := range r.entries {
		if d.ID > id {
			out = append(out, d.LogEntry)
		}
	}
	return out
}

// get returns the entry with the given ID, if it is still kept.
func (r *requestLog) get(id uint64) (LogDetail, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.entries {
		if d.ID == id {
			return d, true
		}
	}
	return LogDetail{}, false
}

// waitChan returns a channel closed when the next entry is added.
func (r *requestLog) waitChan() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed.Wait()
}
