package dashboard

import (
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/broadcast"
	"github.com/europi-http/europi-http/server"
)

// DefaultLogSize is how many requests the dashboard keeps when
// Options.LogSize is 0: a screenful of history.
const DefaultLogSize = 200

// Caps on what one kept entry may hold, whoever recorded it.
const (
	// maxLogRequest is the most request bytes kept: what the server reads.
	maxLogRequest = server.RequestLimit
	// maxLogResponse is the most response bytes kept.
	maxLogResponse = server.MaxLoggedBytes
	// maxLogField bounds the peer, method and path kept (the server cuts
	// method and path at about 200 bytes already).
	maxLogField = 256
	// maxLogError bounds the error text kept.
	maxLogError = 1 << 10
)

// maxEntryBytes bounds the memory one kept entry holds: its raw bytes,
// its text fields and their JSON (at most six bytes per byte of text, for
// \u escapes; eight with the allocator's rounding), plus the entry itself.
// TestRequestLogMemoryBound measures it.
const maxEntryBytes = maxLogRequest + maxLogResponse + 8*(3*maxLogField+maxLogError) + 2<<10

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
	// ResponseCut reports that only the start of a long response was kept
	// (server.MaxLoggedBytes).
	ResponseCut bool `json:"response_cut,omitempty"`
}

// logRecord is one kept entry: its raw bytes as recorded, its fields, and
// its JSON once a reader asked for it.
type logRecord struct {
	entry         LogEntry
	request, resp []byte
	json          []byte // the entry's JSON, made by the first reader
}

// requestLog keeps the last requests in a ring of fixed size, and wakes
// waiters when one is added. Adding costs O(1) whatever the response's
// size: the raw bytes are kept as recorded (see Dashboard.Record) and
// escaped or marshalled only when the API asks, once per entry.
//
// Memory: at most size × maxEntryBytes for the entries, whoever records
// them: about 81 KiB an entry, 16 MiB for DefaultLogSize.
type requestLog struct {
	mu      sync.Mutex
	size    int
	ring    []logRecord // entry ID i is at ring[(i-1)%size]
	next    uint64      // the ID the next entry gets
	changed broadcast.Signal
	// marshals counts the entries marshalled to JSON, so tests can check
	// that each is marshalled once however many streams send it.
	marshals atomic.Int64
}

func newRequestLog(size int) *requestLog {
	if size <= 0 {
		size = DefaultLogSize
	}
	return &requestLog{size: size, ring: make([]logRecord, size), next: 1}
}

// add records l and returns its entry's ID. It keeps l's byte slices
// without copying when they are within the caps, a cut copy otherwise;
// they are handed over (each buffer recorded once), as the server does.
func (r *requestLog) add(l server.RequestLog) uint64 {
	rec := logRecord{
		entry: LogEntry{
			Time: l.Time, Peer: cutText(l.Peer, maxLogField), Method: cutText(l.Method, maxLogField),
			Path: cutText(l.Path, maxLogField), Status: l.Status, Bytes: l.Bytes,
			DurationMS: float64(l.Duration.Microseconds()) / 1000,
			Outcome:    string(l.Outcome),
		},
		request: keepBytes(l.Request, maxLogRequest),
		resp:    keepBytes(l.Response, maxLogResponse),
	}
	if l.Err != nil {
		// Only a failed request has an error, and its text went out on
		// the error page already.
		rec.entry.Error = cutText(l.Err.Error(), maxLogError)
		rec.entry.Rule, _ = profile.RuleOf(l.Err)
	}

	r.mu.Lock()
	rec.entry.ID = r.next
	slot := &r.ring[(r.next-1)%uint64(r.size)]
	old := *slot
	*slot = rec
	r.next++
	r.changed.Notify()
	r.mu.Unlock()
	// The entry that left the ring was the only holder of its bytes (get
	// hands out copies): the server may reuse them.
	server.Recycle(old.request, old.resp)
	return rec.entry.ID
}

// attach sets the raw bytes of entry id, for a recorder that learns them
// after the entry was added; it reports whether the entry is still kept.
func (r *requestLog) attach(id uint64, request, response []byte) bool {
	request, response = keepBytes(request, maxLogRequest), keepBytes(response, maxLogResponse)
	r.mu.Lock()
	rec := r.record(id)
	if rec == nil {
		r.mu.Unlock()
		return false
	}
	oldRequest, oldResponse := rec.request, rec.resp
	rec.request, rec.resp = request, response
	r.mu.Unlock()
	// Bytes attached again are still kept: only replaced ones go back.
	if !sameMemory(oldRequest, request) && !sameMemory(oldRequest, response) {
		server.Recycle(oldRequest, nil)
	}
	if !sameMemory(oldResponse, request) && !sameMemory(oldResponse, response) {
		server.Recycle(nil, oldResponse)
	}
	return true
}

// sameMemory reports whether a and b start at the same byte.
func sameMemory(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}

// keepBytes returns b when it pins at most max bytes, else a copy of its
// first max bytes. It keeps b's capacity, so the buffer can be recycled
// whole.
func keepBytes(b []byte, max int) []byte {
	if cap(b) <= max {
		return b
	}
	return append([]byte(nil), b[:min(len(b), max)]...)
}

// cutText returns s when it is at most max bytes long, else a copy of its
// start (a slice would pin all of s).
func cutText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return strings.Clone(s[:max]) + "…"
}

// record returns the kept record of id, or nil; r.mu must be held.
func (r *requestLog) record(id uint64) *logRecord {
	if id == 0 || id >= r.next || r.next-id > uint64(r.size) {
		return nil
	}
	return &r.ring[(id-1)%uint64(r.size)]
}

// first is the oldest kept ID; r.mu must be held.
func (r *requestLog) first() uint64 {
	if r.next-1 <= uint64(r.size) {
		return 1
	}
	return r.next - uint64(r.size)
}

// after returns the entries with an ID above id, oldest first.
func (r *requestLog) after(id uint64) []LogEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []LogEntry{}
	for i := max(id+1, r.first()); i < r.next; i++ {
		out = append(out, r.record(i).entry)
	}
	return out
}

// afterJSON returns the entries with an ID above id as a JSON array, each
// marshalled once for all readers, and the last ID in it (id if none).
func (r *requestLog) afterJSON(id uint64) (json.RawMessage, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	buf := []byte{'['}
	last := id
	for i := max(id+1, r.first()); i < r.next; i++ {
		rec := r.record(i)
		if rec.json == nil {
			rec.json, _ = json.Marshal(rec.entry) // a LogEntry always marshals
			r.marshals.Add(1)
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, rec.json...)
		last = i
	}
	return append(buf, ']'), last
}

// get returns the entry with the given ID with a copy of its bytes, if it
// is still kept. The bytes are escaped here, when the API asks, not when
// recorded.
func (r *requestLog) get(id uint64) (LogDetail, bool) {
	r.mu.Lock()
	rec := r.record(id)
	if rec == nil {
		r.mu.Unlock()
		return LogDetail{}, false
	}
	// Copies: the ring's bytes go back to the server when their entry
	// leaves it, so nothing outside may hold them.
	d := LogDetail{LogEntry: rec.entry, RequestBytes: append([]byte{}, rec.request...),
		ResponseBytes: append([]byte{}, rec.resp...), ResponseCut: rec.entry.Bytes > len(rec.resp)}
	r.mu.Unlock()
	d.Request, d.Response = Escape(d.RequestBytes), Escape(d.ResponseBytes)
	return d, true
}

// waitChan returns a channel closed when the next entry is added.
func (r *requestLog) waitChan() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed.Wait()
}
