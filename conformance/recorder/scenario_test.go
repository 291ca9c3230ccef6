package recorder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// ev is an event at ms milliseconds.
func ev(ms float64, kind EventKind, data string) Event {
	e := Event{At: time.Duration(ms * float64(time.Millisecond)), Kind: kind}
	if data != "" {
		e.Data = []byte(data)
	}
	return e
}

// session is a recorded session with the given events.
func session(events ...Event) *Session {
	return &Session{Seq: 1, Client: "127.0.0.1:5000", Upstream: "192.0.2.1:80", Idle: DefaultIdle,
		Started: time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC), Events: events, Outcome: OutcomeRecorded}
}

// stepsText writes steps as the [steps] section does.
func stepsText(steps []scenario.Step) string {
	s := &scenario.Scenario{ID: "x", Description: "d", Steps: steps}
	text := string(scenario.Format(s))
	_, after, _ := strings.Cut(text, "[steps]\n")
	return after
}

const (
	getText  = "GET /text HTTP/1.0\r\n\r\n"
	okHead   = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n"
	postHead = "POST /json HTTP/1.0\r\nContent-Length: 2\r\n\r\n"
)

func TestSteps(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		want   string
	}{
		{"one request", []Event{ev(0.2, EventSend, getText), ev(1, EventRecv, okHead), ev(2, EventFIN, ""), ev(3, EventShutdown, "")},
			"send \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n"},
		{"each write to the server is a send, however close", []Event{ev(0.1, EventSend, "GET /te"), ev(1, EventSend, "xt HTTP/1.0\r\n\r\n"), ev(2, EventRecv, okHead), ev(3, EventFIN, "")},
			"send \"GET /te\"\nwait 1ms\nsend \"xt HTTP/1.0\\r\\n\\r\\n\"\n"},
		{"a later segment waits and may fail", []Event{ev(0.1, EventSend, postHead), ev(1, EventRecv, okHead), ev(2, EventFIN, ""), ev(100.4, EventSend, "{}"), ev(101, EventShutdown, "")},
			"send \"POST /json HTTP/1.0\\r\\nContent-Length: 2\\r\\n\\r\\n\"\nawait\nsend may-fail \"{}\"\n"},
		{"a later segment before the end waits its pause", []Event{ev(0.1, EventSend, postHead), ev(100.4, EventSend, "{}"), ev(101, EventRecv, okHead), ev(102, EventFIN, "")},
			"send \"POST /json HTTP/1.0\\r\\nContent-Length: 2\\r\\n\\r\\n\"\nwait 100ms\nsend \"{}\"\n"},
		{"a send to a server that had already ended", []Event{ev(0.3, EventRST, ""), ev(1, EventSend, getText)},
			"connect\nawait\nsend may-fail \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n"},
		{"no merge across an answer", []Event{ev(0.1, EventSend, "a"), ev(0.2, EventRecv, "x"), ev(0.4, EventSend, "b"), ev(2, EventFIN, "")},
			"send \"a\"\nsend may-fail \"b\"\n"},
		{"late first send connects and waits", []Event{ev(50, EventSend, getText), ev(51, EventRecv, okHead), ev(52, EventFIN, "")},
			"connect\nwait 50ms\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n"},
		{"half-close before the answer", []Event{ev(0.1, EventSend, getText), ev(0.2, EventShutdown, ""), ev(1, EventRecv, okHead), ev(2, EventFIN, "")},
			"send \"GET /text HTTP/1.0\\r\\n\\r\\n\"\nshutdown\n"},
		{"connect and close", []Event{ev(50, EventShutdown, ""), ev(51, EventRecv, "HTTP/1.0 500"), ev(52, EventFIN, "")},
			"connect\nwait 50ms\nshutdown\n"},
		{"connect and reset", []Event{ev(30, EventReset, "")}, "connect\nwait 30ms\nreset\n"},
		{"nothing at all", []Event{ev(5000, EventTimeout, "")}, "connect\n"},
		{"after the end nothing counts but sends", []Event{ev(0.1, EventSend, getText), ev(2, EventFIN, ""), ev(3, EventReset, "")},
			"send \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, stepsText(Steps(session(tt.events...))))
		})
	}
}

// expectText writes the scenario's [expect] section.
func expectText(t *testing.T, s *Session) string {
	t.Helper()
	sc, err := Scenario(s, "0001-x")
	require.NoError(t, err)
	text := string(scenario.Format(sc))
	i := strings.Index(text, "[expect]\n")
	require.GreaterOrEqual(t, i, 0, text)
	return text[i+len("[expect]\n"):]
}

func TestExpectation(t *testing.T) {
	const (
		jsonHead = "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n"
		pageHead = "HTTP/1.0 404 Not Found\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n"
		page     = "<html><head><title>EuroPi Error 404</title></head><body><h1>EuroPi</h1><h2>404 Not Found</h2><p>No route for /x</p></body></html>"
	)
	head := "status \"HTTP/1.0 200 OK\\r\\n\"\nheader \"Content-type: text/plain\\r\\n\"\nheader \"charset=utf-8\\r\\n\"\n"
	tests := []struct {
		name   string
		events []Event
		want   string
	}{
		{"text body in two sends", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, okHead), ev(1.1, EventRecv, "plain\n"), ev(2, EventFIN, "")},
			head + "body \"plain\\n\"\nend fin\n"},
		{"json as values", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, jsonHead+`{"a": 1}`), ev(2, EventFIN, "")},
			"status \"HTTP/1.0 200 OK\\r\\n\"\nheader \"Content-type: text/json\\r\\n\"\nheader \"charset=utf-8\\r\\n\"\njson \"{\\\"a\\\": 1}\"\nend fin\n"},
		{"bad json byte for byte", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, jsonHead+`{"a": `), ev(2, EventFIN, "")},
			"status \"HTTP/1.0 200 OK\\r\\n\"\nheader \"Content-type: text/json\\r\\n\"\nheader \"charset=utf-8\\r\\n\"\nbody \"{\\\"a\\\": \"\nend fin\n"},
		{"error page by structure", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, pageHead+page), ev(2, EventFIN, "")},
			"status \"HTTP/1.0 404 Not Found\\r\\n\"\nheader \"Content-type: text/html\\r\\n\"\nheader \"charset=utf-8\\r\\n\"\nerror-page 404 \"Not Found\"\nmessage \"No route for /x\"\nend fin\n"},
		{"a page after another answer byte for byte", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, okHead+"partial"+pageHead+page), ev(2, EventFIN, "")},
			head + "body \"partialHTTP/1.0 404 Not Found\\r\\n\"\n    \"Content-type: text/html\\r\\n\"\n    \"charset=utf-8\\r\\n\"\n    \"\\r\\n\"\n    \"" + page + "\"\nend fin\n"},
		{"no blank line: raw", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, "HTTP/1.0 200 OK\r\n"), ev(2, EventRST, "")},
			"raw \"HTTP/1.0 200 OK\\r\\n\"\nend rst\n"},
		{"nothing", []Event{ev(0.1, EventSend, getText), ev(2, EventFIN, "")}, "raw \"\"\nend fin\n"},
		{"silent until the idle timeout", []Event{ev(5000, EventTimeout, "")}, "raw \"\"\nend timeout\n"},
		{"reset by the client mid-answer", []Event{ev(0.1, EventSend, getText), ev(1, EventRecv, okHead+"pla"), ev(1.5, EventReset, "")},
			head + "# The client reset before the server ended: only what had come by then.\nprefix \"pla\"\nend closed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, expectText(t, session(tt.events...)))
		})
	}
}

func TestScenarioHeaderAndTimeout(t *testing.T) {
	s := session(ev(0.1, EventSend, postHead), ev(1, EventRecv, okHead), ev(2, EventFIN, ""), ev(100, EventSend, "{}"))
	sc, err := Scenario(s, "0001-post-json")
	require.NoError(t, err)
	text := string(scenario.Format(sc))
	assert.Contains(t, text, "# Recorded by europi-http record: client 127.0.0.1:5000 through the relay to 192.0.2.1:80,\n# at 2026-03-18T12:00:00Z.")
	assert.Contains(t, text, `description "Recorded from 192.0.2.1:80 at 2026-03-18 12:00:00 UTC: POST /json HTTP/1.0 in 2 segments; the server sent HTTP/1.0 200 OK and the connection ended by fin."`)
	assert.Contains(t, text, "rule behaviour \""+ruleSegments+"\"")
	assert.NotContains(t, text, "timeout ")

	// A long pause needs a longer idle timeout than the runner's default.
	s = session(ev(0.1, EventSend, "GET /te"), ev(1500, EventSend, "xt HTTP/1.0\r\n\r\n"), ev(1501, EventRecv, okHead), ev(1502, EventFIN, ""))
	sc, err = Scenario(s, "0001-x")
	require.NoError(t, err)
	assert.Equal(t, DefaultIdle, sc.Timeout)

	s = session(ev(300, EventTimeout, ""))
	s.Idle = 300 * time.Millisecond
	sc, err = Scenario(s, "0001-x")
	require.NoError(t, err)
	assert.Equal(t, 300*time.Millisecond, sc.Timeout)
	assert.Equal(t, ruleStall, sc.Rules[0].Text)
}

func TestScenarioRefusesWhatWasNotRecordedWhole(t *testing.T) {
	for _, o := range []Outcome{OutcomeOverCap, OutcomeInterrupted, OutcomeNoUpstream} {
		s := session(ev(0.1, EventSend, getText))
		s.Outcome = o
		_, err := Scenario(s, "0001-x")
		assert.ErrorContains(t, err, string(o))
	}
}

// TestRulesQuoteTheDocument checks the sentences recorded scenarios cite
// against docs/behaviour.md, as go test ./conformance/scenario does for the
// suite's files.
func TestRulesQuoteTheDocument(t *testing.T) {
	path := filepath.Join("..", "..", filepath.FromSlash(scenario.RuleSources["behaviour"].Path))
	data, err := os.ReadFile(path)
	require.NoError(t, err, "recorded scenarios cite %s, so it must be readable", path)
	doc := strings.Join(strings.Fields(string(data)), " ")
	for _, r := range Rules {
		assert.Contains(t, doc, strings.Join(strings.Fields(r), " "))
	}
}
