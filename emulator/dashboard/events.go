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
	// DefaultMaxStreams is how many /api/events streams may be open at
	// once when Options.MaxStreams is 0: a few browser tabs, with room.
	DefaultMaxStreams = 32
	// defaultCoalesce is the least time between two wake-ups of one
	// stream: changes in between go out together, so a busy device costs
	// each stream at most a few events a second, not one per request.
	defaultCoalesce = 50 * time.Millisecond
)

// Hello is the first event of every stream: everything the page shows,
// so a page that reconnects starts afresh.
type Hello struct {
	// Status is what /api/status answers.
	Status StatusReply `json:"status"`
	// State is the panel.
	State emulator.IOState `json:"state"`
	// Display is the OLED's frame.
	Display DisplayReply `json:"display"`
	// Log is the kept requests, oldest first.
	Log []LogEntry `json:"log"`
}

// helloJSON is Hello as a stream writes it, from parts marshalled once
// for every stream.
type helloJSON struct {
	Status  json.RawMessage `json:"status"`
	State   json.RawMessage `json:"state"`
	Display json.RawMessage `json:"display"`
	Log     json.RawMessage `json:"log"`
}

// events streams Server-Sent Events: "hello" (a Hello), then "state" (an
// emulator.IOState) when the panel changes, "display" (a DisplayReply)
// when the OLED shows a new frame, "log" (a list of new LogEntry) when
// requests are served and "status" (a StatusReply) when the script or its
// reload outcome changes. Changes closer together than
// the coalescing interval go out together, and each value is marshalled
// once however many streams send it. At most Options.MaxStreams streams
// are open at once; past that the API answers 503.
func (d *Dashboard) events(w http.ResponseWriter, r *http.Request) {
	select {
	case d.streams <- struct{}{}:
		defer func() { <-d.streams }()
	default:
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("too many event streams open (at most %d); close a dashboard tab", cap(d.streams)))
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	io := d.src.IO()
	// Take the wake-up channels before reading what they guard, so a
	// change in between wakes the loop instead of being missed.
	ioChanged, logChanged, statusChanged := io.Changed(), d.log.waitChan(), d.src.StatusChanged()
	history, lastID := d.log.afterJSON(0) // before the panel, as in the loop below
	display, displayVersion := d.displayJSON(io)
	state, version := d.stateJSON(io)
	status, statusData := d.statusJSON()
	hello, err := json.Marshal(helloJSON{Status: statusData, State: state, Display: display, Log: history})
	if err != nil || send(rc, w, "hello", hello) != nil {
		return
	}

	tick := time.NewTicker(d.keepAlive)
	defer tick.Stop()
	var hold *time.Timer
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
		case <-statusChanged:
		}
		if d.coalesce > 0 {
			// Let more changes gather before reading them.
			if hold == nil {
				hold = time.NewTimer(d.coalesce)
				defer hold.Stop()
			} else {
				hold.Reset(d.coalesce)
			}
			select {
			case <-r.Context().Done():
				return
			case <-hold.C:
			}
		}
		ioChanged, logChanged, statusChanged = io.Changed(), d.log.waitChan(), d.src.StatusChanged()
		// The log before the panel: a request is logged after its handler
		// ran, so the panel read next already shows what it changed, and
		// the page never sees a request before its effect.
		entries, last := d.log.afterJSON(lastID)
		// The display before the panel, for the same reason: a new frame
		// moves the panel's version too, so the panel read next is at
		// least as new, and the page never draws a frame before the
		// outputs it shows.
		frame, frameVersion := d.displayJSON(io)
		if st, v := d.stateJSON(io); v != version {
			version = v
			if send(rc, w, "state", st) != nil {
				return
			}
			if frameVersion != displayVersion {
				displayVersion = frameVersion
				if send(rc, w, "display", frame) != nil {
					return
				}
			}
		}
		if last != lastID {
			lastID = last
			if send(rc, w, "log", entries) != nil {
				return
			}
		}
		// A watched script reloads when its file changes, request or not.
		if st, data := d.statusJSON(); st != status {
			status = st
			if send(rc, w, "status", data) != nil {
				return
			}
		}
	}
}

// stateJSON returns the panel's JSON and version, marshalled once per
// version for every stream.
func (d *Dashboard) stateJSON(io *emulator.IO) (json.RawMessage, uint64) {
	st := io.Snapshot()
	return d.stateCache.get(st.Version, func() any { return st }), st.Version
}

// statusJSON returns the status and its JSON, marshalled once per change
// for every stream.
func (d *Dashboard) statusJSON() (StatusReply, json.RawMessage) {
	st := d.status()
	return st, d.statusCache.get(st, func() any { return st })
}

// send writes one event, whose data is JSON, and flushes it.
func send(rc *http.ResponseController, w http.ResponseWriter, event string, data []byte) error {
	buf := make([]byte, 0, len(event)+len(data)+16)
	buf = append(append(append(buf, "event: "...), event...), "\ndata: "...)
	buf = append(append(buf, data...), "\n\n"...)
	_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := w.Write(buf); err != nil {
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
