package recorder

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSummary(t *testing.T) {
	ok := session(ev(0.1, EventSend, getText), ev(1, EventRecv, okHead+"x"), ev(12.4, EventFIN, ""))
	left := session(ev(0.1, EventSend, getText), ev(1, EventRecv, okHead+"x"), ev(2, EventFIN, ""))
	left.ClientLeft = true
	silent := session(ev(5000, EventTimeout, ""))
	capped := session(ev(0.1, EventSend, "GET /\x1b[2J"))
	capped.Outcome, capped.Err = OutcomeOverCap, "more than 100 bytes"

	tests := []struct {
		name    string
		s       *Session
		written string
		want    string
	}{
		{"recorded", ok, "rec/0001-get-text.scenario",
			"#0001 127.0.0.1:5000 GET /text HTTP/1.0: 22 B in 1 read(s), 61 B back (HTTP/1.0 200 OK), end fin, 12ms -> rec/0001-get-text.scenario"},
		{"client left", left, "",
			"#0001 127.0.0.1:5000 GET /text HTTP/1.0: 22 B in 1 read(s), 61 B back (HTTP/1.0 200 OK), end fin, 2ms, client left early"},
		{"silent", silent, "x",
			"#0001 127.0.0.1:5000 (nothing sent): 0 B in 0 read(s), 0 B back, end timeout, 5s -> x"},
		{"not recorded, control bytes quoted", capped, "",
			`#0001 127.0.0.1:5000 "GET /\x1b[2J": 9 B in 1 read(s), 0 B back; not recorded: over the byte cap (more than 100 bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Summary(tt.s, tt.written))
		})
	}
}
