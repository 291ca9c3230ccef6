package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/emulator"
)

// maxInputsBody bounds a POST /api/inputs body; six inputs need far less.
const maxInputsBody = 16 << 10

// StatusReply is what GET /api/status answers: the emulator's status and
// what the dashboard knows about the device.
type StatusReply struct {
	emulator.Status
	// DeviceURL is the device page, "" if unknown.
	DeviceURL string `json:"device_url,omitempty"`
	// Profile names the device profile, "" if none was given.
	Profile string `json:"profile,omitempty"`
}

// ErrorReply is the body of every failed API call.
type ErrorReply struct {
	// Error says what was wrong, in a sentence for a person.
	Error string `json:"error"`
}

// Handler returns the dashboard's HTTP handler: the page at /, its assets
// and the API under /api/.
func (d *Dashboard) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/state", d.getState)
	mux.HandleFunc("GET /api/display", d.getDisplay)
	mux.HandleFunc("POST /api/inputs", d.postInputs)
	mux.HandleFunc("GET /api/status", d.getStatus)
	mux.HandleFunc("GET /api/log", d.getLog)
	mux.HandleFunc("GET /api/log/{id}", d.getLogEntry)
	mux.HandleFunc("GET /api/events", d.events)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no API route %s %s", r.Method, r.URL.Path))
	})
	files := pages()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// "GET /" would clash with "/api/" in the mux, so the page checks
		// its methods itself.
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the dashboard's pages are read with GET", http.StatusMethodNotAllowed)
			return
		}
		files.ServeHTTP(w, r)
	})
	return guard(crossOrigin(mux))
}

// crossOrigin refuses state-changing requests (POST and the like) sent by
// a page on another site, by their Sec-Fetch-Site or Origin header: a
// browser sends one of them on every cross-site POST, whatever its
// Content-Type. Clients that send neither (curl, scripts) are not
// browsers and pass.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-site requests may not change the panel; use the dashboard's own page or a client that is not a browser")
	}))
	return cop.Handler(next)
}

// pages serves the embedded page, script and style.
func pages() http.Handler {
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		// Only a broken build gets here; answer with why instead of panicking.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "dashboard: the embedded pages are missing: "+err.Error(), http.StatusInternalServerError)
		})
	}
	return http.FileServerFS(static)
}

// guard refuses requests whose Host is a DNS name other than localhost: a
// page elsewhere could otherwise rebind its own name to 127.0.0.1 and read
// the log or press buttons. It also pins the page to its own origin.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if net.ParseIP(host) == nil && host != "localhost" && !strings.HasSuffix(host, ".localhost") {
			writeError(w, http.StatusForbidden, fmt.Sprintf("host %q is not an IP address or localhost; open the dashboard by address", r.Host))
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

func (d *Dashboard) getState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, d.src.IO().Snapshot())
}

func (d *Dashboard) status() StatusReply {
	return StatusReply{Status: d.src.Status(), DeviceURL: d.opts.DeviceURL, Profile: d.opts.Profile}
}

func (d *Dashboard) getStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, d.status())
}

// postInputs sets inputs from a JSON object, {"k1": 40, "b1": 1}, and
// answers with the panel afterwards.
func (d *Dashboard) postInputs(w http.ResponseWriter, r *http.Request) {
	// Requiring JSON makes a cross-site form post impossible without a
	// CORS preflight, which this API never grants.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "send the inputs as Content-Type: application/json")
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxInputsBody))
	var m map[string]float64
	if err := dec.Decode(&m); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", maxInputsBody))
			return
		}
		writeError(w, http.StatusBadRequest, `want a JSON object of numbers, like {"k1": 40, "b1": 1}: `+err.Error())
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "want one JSON object; the body goes on after it")
		return
	}
	if len(m) == 0 {
		writeError(w, http.StatusBadRequest, `no inputs given; want a JSON object like {"k1": 40, "b1": 1}`)
		return
	}
	if err := d.src.IO().SetInputs(inputsFromJSON(m)); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, d.src.IO().Snapshot())
}

// getLog lists the kept requests, oldest first; ?after=ID lists only
// newer ones.
func (d *Dashboard) getLog(w http.ResponseWriter, r *http.Request) {
	var after uint64
	if s := r.URL.Query().Get("after"); s != "" {
		var err error
		if after, err = strconv.ParseUint(s, 10, 64); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("after=%q is not an entry ID", s))
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string][]LogEntry{"entries": d.log.after(after)})
}

func (d *Dashboard) getLogEntry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%q is not an entry ID", r.PathValue("id")))
		return
	}
	entry, ok := d.log.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no log entry %d (only the last %d are kept)", id, d.log.size))
		return
	}
	writeJSON(w, http.StatusOK, entry)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, ErrorReply{Error: msg})
}
