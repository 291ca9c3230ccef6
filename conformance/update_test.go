package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// patched is what a deliberately patched firmware answers: a new status
// text, an extra header, another page and message.
const patched = "HTTP/1.0 418 Teapot\r\nContent-type: text/html\r\ncharset=utf-8\r\nX-New=1\r\n\r\n" +
	"<title>EuroPi Error 418</title><h1>EuroPi</h1><h2>418 Teapot</h2><p>out of tea</p>"

func TestUpdateRewritesFailingClausesWhereTheyAreWritten(t *testing.T) {
	text := scenariotest.Lines(
		"[scenario]", `description "d"`, `rule routes "r"`,
		"[steps]", `send "GET /teapot HTTP/1.0\r\n\r\n"`,
		"[expect]",
		`status "HTTP/1.0 418 I'm a teapot\r\n"`,
		"# the head",
		`header "Content-type: text/html\r\n"`,
		`header "charset=utf-8\r\n"`,
		"length 1",
		"end fin",
		"[expect when cpython]",
		`error-page 418 "I'm a teapot"`,
		`message "We're out of coffee!"`,
		"[expect when micropython]",
		`message-like "^x$"`,
	)
	addr := testnet.Serve(t, testnet.Answer(patched))
	s := scenariotest.MustParse(t, "errors/teapot", text)
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "fw", Addr: addr, Labels: []string{"cpython"}}, s)
	require.Equal(t, StatusFail, res.Status)

	changes, left := Update(res)
	assert.Empty(t, left)
	var got []string
	for _, c := range changes {
		got = append(got, c.String())
	}
	assert.ElementsMatch(t, []string{
		"errors/teapot [expect]\n  - status \"HTTP/1.0 418 I'm a teapot\\r\\n\"\n  + status \"HTTP/1.0 418 Teapot\\r\\n\"\n",
		"errors/teapot [expect when cpython]\n  - error-page 418 \"I'm a teapot\"\n  + error-page 418 \"Teapot\"\n",
		"errors/teapot [expect when cpython]\n  - message \"We're out of coffee!\"\n  + message \"out of tea\"\n",
		"errors/teapot [expect]\n  - header \"Content-type: text/html\\r\\n\"\n  - header \"charset=utf-8\\r\\n\"\n" +
			"  + header \"Content-type: text/html\\r\\n\"\n  + header \"charset=utf-8\\r\\n\"\n  + header \"X-New=1\\r\\n\"\n",
	}, got)

	// The file keeps its layout, comments, the base body clause the
	// override replaced, and the override that did not apply.
	out := string(scenario.Format(s))
	assert.Contains(t, out, "\nlength 1\n")
	assert.Contains(t, out, "# the head\nheader \"Content-type: text/html\\r\\n\"\nheader \"charset=utf-8\\r\\n\"\nheader \"X-New=1\\r\\n\"\n")
	assert.Contains(t, out, "[expect when micropython]\nmessage-like \"^x$\"\n")

	// What was written passes against the same target.
	again, err := scenario.Parse(s.ID, []byte(out))
	require.NoError(t, err)
	res = r.RunScenario(t.Context(), Target{Name: "fw", Addr: addr, Labels: []string{"cpython"}}, again)
	assert.Equal(t, StatusPass, res.Status, "%v", res.Failures)
}

func TestUpdateLeavesWhatItCannotWrite(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	s := scenariotest.MustParse(t, "x/y", scenariotest.Minimal+"[expect]\nmessage-like \"^nope$\"\njson \"{}\"\n")
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "fw", Addr: addr}, s)
	require.Equal(t, StatusFail, res.Status)
	changes, left := Update(res)
	assert.Empty(t, changes)
	var whats []string
	for _, f := range left {
		whats = append(whats, f.What)
	}
	assert.ElementsMatch(t, []string{"message-like", "json"}, whats, "a regexp and a non-JSON body stay for a person to judge")
}

func TestUpdateAddsDeviceSectionForUnexpectedEscapes(t *testing.T) {
	s := scenariotest.MustParse(t, "x/y", scenariotest.Minimal+"[expect]\n")
	res := Result{ID: s.ID, Scenario: s, Resolved: Resolve(s, nil), Status: StatusFail,
		Capture: &Capture{EscapesKnown: true, Escapes: []string{"BrokenPipeError: x"}}}
	res.Failures = Check(res.Resolved, res.Capture)
	changes, left := Update(res)
	assert.Empty(t, left)
	require.Len(t, changes, 1)
	assert.Equal(t, "x/y [device]\n  + escapes 1\n", changes[0].String())
	assert.Contains(t, string(scenario.Format(s)), "\n[device]\nescapes 1\n")
}
