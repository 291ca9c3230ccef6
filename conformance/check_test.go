package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// teapotPage is an error page in a markup of our own: the matcher must only
// care about its structure.
const teapotPage = "HTTP/1.0 418 I'm a teapot\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n" +
	"<!doctype html><html><head><TITLE>EuroPi Error 418</TITLE><style>h1{}</style></head>" +
	"<body><p>intro</p><h1 class=\"x\">EuroPi</h1><h2>\n  418 I'm a teapot\n</h2><p>\n  We're out of <b>coffee</b>! \x00\n</p></body></html>"

// captureOf builds the capture of one main connection.
func captureOf(data string, end scenario.End) *Capture {
	return &Capture{Conns: []*ConnCapture{{Name: scenario.MainConn, Data: []byte(data), End: end}}, Marks: map[string]map[string]int{}}
}

func TestCheckClauses(t *testing.T) {
	tests := []struct {
		name    string
		expect  string // the [expect] section's clauses
		data    string
		end     scenario.End
		failing []string // What of each failure, in order
	}{
		{"exact pass", `status "HTTP/1.0 200 OK\r\n"` + "\n" + `header "Content-type: text/plain\r\n"` + "\n" + `header "charset=utf-8\r\n"` + "\n" + `body "plain text from EuroPi\n"` + "\nend fin", scenariotest.TextAnswer, scenario.EndFIN, nil},
		{"status differs", `status "HTTP/1.0 201 OK\r\n"`, scenariotest.TextAnswer, scenario.EndFIN, []string{"status"}},
		{"header order matters", `header "charset=utf-8\r\n"` + "\n" + `header "Content-type: text/plain\r\n"`, scenariotest.TextAnswer, scenario.EndFIN, []string{"header"}},
		{"missing header line", `header "Content-type: text/plain\r\n"`, scenariotest.TextAnswer, scenario.EndFIN, []string{"header"}},
		{"head never ends", `header "Content-type: text/plain\r\n"`, "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n", scenario.EndRST, []string{"header"}},
		{"body differs", `body "plain text"`, scenariotest.TextAnswer, scenario.EndFIN, []string{"body"}},
		{"raw", `raw "` + "HTTP/1.0 200 OK\\r\\n\\r\\nx" + `"`, "HTTP/1.0 200 OK\r\n\r\nx", scenario.EndFIN, nil},
		{"raw nothing", `raw ""`, "x", scenario.EndFIN, []string{"raw"}},
		{"length prefix suffix pass", "length 23\nprefix \"plain\"\nsuffix \"EuroPi\\n\"", scenariotest.TextAnswer, scenario.EndFIN, nil},
		{"length prefix suffix fail", "length 22\nprefix \"Plain\"\nsuffix \"x\"", scenariotest.TextAnswer, scenario.EndFIN, []string{"length", "prefix", "suffix"}},
		{"prefix longer than body", `prefix "plain text from EuroPi\n and more"`, scenariotest.TextAnswer, scenario.EndFIN, []string{"prefix"}},
		{"end one of", "end fin rst", scenariotest.TextAnswer, scenario.EndRST, nil},
		{"end differs", "end fin", scenariotest.TextAnswer, scenario.EndTimeout, []string{"end"}},
		{"json as values", `json "{\"b\": [1, 2.50], \"a\": \"\u00fc\"}"`, "HTTP/1.0 200 OK\r\n\r\n{\"a\": \"\\u00fc\", \"b\": [1, 25e-1]}", scenario.EndFIN, nil},
		{"json value differs", `json "{\"a\": 1}"`, "HTTP/1.0 200 OK\r\n\r\n{\"a\": 2}", scenario.EndFIN, []string{"json"}},
		{"json extra key", `json "{\"a\": 1}"`, "HTTP/1.0 200 OK\r\n\r\n{\"a\": 1, \"b\": 2}", scenario.EndFIN, []string{"json"}},
		{"json not json", `json "{}"`, "HTTP/1.0 200 OK\r\n\r\n{} x", scenario.EndFIN, []string{"json"}},
		{"error page by structure", "error-page 418 \"I'm a teapot\"\nmessage \"We're out of <b>coffee</b>! \\x00\"", teapotPage, scenario.EndFIN, nil},
		{"error page message pattern", "error-page 418 \"I'm a teapot\"\nmessage-like \"^We're out of .*!\"", teapotPage, scenario.EndFIN, nil},
		{"error page wrong code", `error-page 500 "Internal Server Error"`, teapotPage, scenario.EndFIN, []string{"error-page"}},
		{"error page wrong message", `message "We're out of tea"`, teapotPage, scenario.EndFIN, []string{"message"}},
		{"error page pattern fails", `message-like "^tea"`, teapotPage, scenario.EndFIN, []string{"message-like"}},
		{"failures in clause order", "status \"x\"\nheader \"y\"\nbody \"z\"\nend rst", scenariotest.TextAnswer, scenario.EndFIN, []string{"status", "header", "body", "end"}},
		{"no response at all", "status \"HTTP/1.0 200 OK\\r\\n\"\nheader \"a\"\nerror-page 500 \"x\"\nend fin", "", scenario.EndRST, []string{"response", "end"}},
		{"nothing expected, nothing came", "length 0\nend fin", "", scenario.EndFIN, nil},
		{"not an error page", "error-page 200 \"OK\"\nmessage \"x\"", scenariotest.TextAnswer, scenario.EndFIN, []string{"error-page", "message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenariotest.MustParse(t, "t/"+tt.name, scenariotest.Minimal+"[expect]\n"+tt.expect+"\n")
			got := Check(Resolve(s, nil), captureOf(tt.data, tt.end))
			var whats []string
			for _, f := range got {
				whats = append(whats, f.What)
				assert.NotEmpty(t, f.Detail)
				assert.Equal(t, "expect", f.Section)
				assert.Positive(t, f.Line)
			}
			assert.Equal(t, tt.failing, whats)
		})
	}
}

func TestCheckExactFailureCarriesBytesAndOffset(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Minimal+"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\n")
	got := Check(Resolve(s, nil), captureOf("HTTP/1.0 500 Internal Server Error\r\n\r\n", scenario.EndFIN))
	require.Len(t, got, 1)
	f := got[0]
	assert.Equal(t, []byte("HTTP/1.0 200 OK\r\n"), f.Expected)
	assert.Equal(t, []byte("HTTP/1.0 500 Internal Server Error\r\n"), f.Actual)
	assert.Equal(t, 9, f.Offset)
	assert.Contains(t, f.Explain(), `"HTTP/1.0 200 OK\r\n"`)
	assert.Contains(t, f.Explain(), "offset 9")
	assert.True(t, f.Updatable())
}

func TestCheckStepsMarksAndEscapes(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Lines(
		"[scenario]", `description "d"`, `rule routes "r"`,
		"[steps]", `send "a"`, "mark m", `send may-fail "b"`, `send "c"`,
		"[expect]", "at m 0",
		"[device]", "escapes 1", `escape-like "^OSError"`,
	))
	c := captureOf("xyz", scenario.EndFIN)
	c.Marks["m"] = map[string]int{scenario.MainConn: 3}
	c.StepErrors = []StepError{{Index: 2, Step: s.Steps[2], Err: "write: broken pipe"}, {Index: 3, Step: s.Steps[3], Err: "write: broken pipe"}}
	c.EscapesKnown = true
	c.Escapes = []string{"BrokenPipeError: [Errno 32]", "OSError: 32"}

	var whats []string
	for _, f := range Check(Resolve(s, nil), c) {
		whats = append(whats, f.What)
	}
	assert.Equal(t, []string{"step send", "at m", "escapes", "escape-like"}, whats, "the may-fail send is not a failure")

	c.EscapesKnown = false
	whats = nil
	for _, f := range Check(Resolve(s, nil), c) {
		whats = append(whats, f.What)
	}
	assert.Equal(t, []string{"step send", "at m"}, whats, "escapes are not checked when the target cannot report them")
}

func TestCheckImplicitNoEscapes(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Minimal+"[expect]\n")
	c := captureOf("", scenario.EndFIN)
	c.EscapesKnown, c.Escapes = true, []string{"BrokenPipeError: x"}
	got := Check(Resolve(s, nil), c)
	require.Len(t, got, 1)
	assert.Equal(t, "escapes", got[0].What)
	assert.Equal(t, "device", got[0].Section)
	assert.False(t, got[0].Updatable(), "no clause to rewrite; Update adds a section instead")
}

func TestCheckShutdownAfterTheServerEnded(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Minimal+"shutdown\n[expect]\nend fin rst\n")
	tests := []struct {
		end   scenario.End
		whats []string
	}{
		// The server ended the connection before the half-close: the end
		// clause judges that, the step had nothing left to do.
		{scenario.EndRST, nil},
		{scenario.EndFIN, nil},
		{scenario.EndTimeout, []string{"step shutdown", "end"}},
	}
	for _, tt := range tests {
		c := captureOf("", tt.end)
		c.StepErrors = []StepError{{Index: 1, Step: s.Steps[1], Err: "shutdown: transport endpoint is not connected"}}
		var whats []string
		for _, f := range Check(Resolve(s, nil), c) {
			whats = append(whats, f.What)
		}
		assert.Equal(t, tt.whats, whats, "end %s", tt.end)
	}
}

func TestCheckRefusedConnection(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Minimal+"[expect]\nend fin\n")
	c := captureOf("", scenario.EndRefused)
	c.Conns[0].Err = "connect: connection refused"
	got := Check(Resolve(s, nil), c)
	require.Len(t, got, 1)
	assert.Equal(t, "connect", got[0].What)
	assert.Contains(t, got[0].Detail, "connection refused")
}

func TestJSONEqual(t *testing.T) {
	tests := []struct {
		a, b  string
		where string
		err   string
	}{
		{`{"a": [1, {"b": null}], "c": true}`, `{"c":true,"a":[1.0,{"b":null}]}`, "", ""},
		{`"\u00fc"`, "\"\u00fc\"", "", ""},
		{`{"a": 1}`, `{"a": "1"}`, `$.a: expected 1, actual "1"`, ""},
		{`[1, 2]`, `[1]`, "$: expected 2 elements, actual 1", ""},
		{`{"a": {"b": [0, 1]}}`, `{"a": {"b": [0, 2]}}`, "$.a.b[1]: expected 1, actual 2", ""},
		{`{"a": 1}`, `{}`, "$.a: missing, expected 1", ""},
		{`{}`, `[]`, "$: expected an object, actual []", ""},
		{`1`, `nope`, "", "body is not JSON"},
	}
	for _, tt := range tests {
		where, err := JSONEqual([]byte(tt.a), []byte(tt.b))
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.where, where, "%s vs %s", tt.a, tt.b)
	}
}
