package clients

import (
	"bytes"
	"strings"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// maxRequest is the longest request a real client is given: upstream reads
// one recv(1024), and a client's own headers come on top.
const maxRequest = 1024

// Request is a scenario's request in the form a real client sends it: a
// method, a path and a body. Each client adds its own request headers.
type Request struct {
	// ID is the scenario's ID.
	ID string `json:"id"`
	// Method is GET or POST.
	Method string `json:"method"`
	// Path is the request target, query included.
	Path string `json:"path"`
	// Body is what a POST sends.
	Body []byte `json:"-"`
	// ContentType is the scenario's Content-Type header, "" for none.
	ContentType string `json:"content_type,omitempty"`
	// Raw is the scenario's own bytes, sent as they are for the device's
	// column.
	Raw []byte `json:"-"`
}

// FromScenario returns the request of a scenario a real client can send:
// one send of a GET or POST with a plain ASCII path, HTTP/1.0 or 1.1, a
// complete header block and (for POST) a body. Scenarios about raw bytes,
// several segments or connections have no such request.
func FromScenario(s *scenario.Scenario) (Request, bool) {
	if len(s.Steps) != 1 || s.Steps[0].Kind != scenario.StepSend {
		return Request{}, false
	}
	raw := s.Steps[0].Data.Value()
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok || len(raw) > maxRequest {
		return Request{}, false
	}
	lines := strings.Split(string(head), "\r\n")
	parts := strings.Split(lines[0], " ")
	if len(parts) != 3 || (parts[0] != "GET" && parts[0] != "POST") || !plainPath(parts[1]) ||
		(parts[2] != "HTTP/1.0" && parts[2] != "HTTP/1.1") || (parts[0] == "GET" && len(body) > 0) {
		return Request{}, false
	}
	r := Request{ID: s.ID, Method: parts[0], Path: parts[1], Raw: raw}
	if r.Method == "POST" {
		r.Body = body
	}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return Request{}, false
		}
		if strings.EqualFold(strings.TrimSpace(name), "content-type") {
			r.ContentType = strings.TrimSpace(value)
		}
	}
	return r, true
}

// plainPath reports whether a client would send the path unchanged: it
// starts with a slash and holds only printable ASCII.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] > '~' {
			return false
		}
	}
	return true
}

// DefaultAreas are the scenario folders the report runs unless told: the
// routes, not the error cases and robustness checks.
var DefaultAreas = []string{"get/", "post/"}

// Requests returns the requests of the scenarios a real client can send.
// With all false only those under DefaultAreas count.
func Requests(scenarios []*scenario.Scenario, all bool) []Request {
	var out []Request
	for _, s := range scenarios {
		if !all && !inAreas(s.ID) {
			continue
		}
		if r, ok := FromScenario(s); ok {
			out = append(out, r)
		}
	}
	return out
}

func inAreas(id string) bool {
	for _, a := range DefaultAreas {
		if strings.HasPrefix(id, a) {
			return true
		}
	}
	return false
}
