package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/europi-http/europi-http/emulator"
)

const (
	// defaultKeepAlive is how often an idle stream sends a comment, so
	// proxies and browsers keep it open and a vanished client is noticed.
	defaultKeepAlive = 15 * time.Second
	// writeTimeout bounds one event's write: a client that stopped reading
	// loses its stream instead of holding a goroutine forever.
	writeTimeout = 10 * time.Second
)

// Hello is the first event of every stream: everything the page shows,
// so a page that reconnects starts afresh.
type Hello struct {
	// Status is what /api/status answers.
	Status StatusReply `json:"status"`
	// State is the panel.
	State emulator.IOState `json:"state"`
	// Log is the kept requests, oldest first.
	Log []LogEntry `json:"log"`
}

// events streams Server-Sent Events: "hello" (a Hello), then "state" (an
// emulator.IOState) when the panel changes, "log" (a list of new
// LogEntry) when requests are served and "status" (a StatusReply) when
// the script or its reload outcome changes.
func (d *Dashboard) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	io := d.src.IO()
	// Take the wake-up channels before reading what they guard, so a
	// change in between wakes the loop instead of being missed.
	ioChanged, logChanged := io.Changed(), d.log.waitChan()
	history := d.log.after(0) // before the panel, as in the loop below
	hello := Hello{Status: d.status(), State: io.Snapshot(), Log: history}
	if send(rc, w, "hello", hello) != nil {
		return
	}
	status, version, lastID := hello.Status, hello.State.Version, lastEntryID(hello.Log, 0)

	tick := time.NewTicker(d.keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if comment(rc, w) != nil {
				return
			}
			continue
		case <-ioChanged:
		case <-logChanged:
		}
		ioChanged, logChanged = io.Changed(), d.log.waitChan()
		// The log before the panel: a request is logged after its handler
		// ran, so the panel read next already shows what it changed, and
		// the page never sees a request before its effect.
		entries := d.log.after(lastID)
		if st := io.Snapshot(); st.Version != version {
			version = st.Version
			if send(rc, w, "state", st) != nil {
				return
			}
		}
		if len(entries) > 0 {
			lastID = lastEntryID(entries, lastID)
			if send(rc, w, "log", entries) != nil {
				return
			}
		}
		// The script reloads only while serving a request, so its status
		// can only have changed when a log entry arrives.
		if st := d.status(); st != status {
			status = st
			if send(rc, w, "status", st) != nil {
				return
			}
		}
	}
}

func lastEntryID(entries []LogEntry, otherwise uint64) uint64 {
	if len(entries) == 0 {
		return otherwise
	}
	return entries[len(entries)-1].ID
}

// send writes one event and flushes it.
func send(rc *http.ResponseController, w http.ResponseWriter, event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return err
	}
	return rc.Flush()
}

// comment writes a keep-alive comment line.
func comment(rc *http.ResponseController, w http.ResponseWriter) error {
	_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
		return err
	}
	return rc.Flush()
}
