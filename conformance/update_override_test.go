package conformance

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// dropping reads the request and closes without a byte, as a device that
// lost the request does; it answers the escape probe.
func dropping(c *net.TCPConn) {
	if string(testnet.ReadRequest(c)) == probeRequest {
		_, _ = c.Write([]byte(scenariotest.TextAnswer))
	}
	_ = c.Close()
}

// changeTexts renders changes for comparison.
func changeTexts(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestUpdateOverrideWritesOverridesAndKeepsTheBase(t *testing.T) {
	base := scenariotest.Lines(
		"[scenario]", `description "d"`, `rule routes "r"`,
		"[steps]", `send a "GET /text HTTP/1.0\r\n\r\n"`, `send b "GET /text HTTP/1.0\r\n\r\n"`,
		"[expect a]",
		`status "HTTP/1.0 200 OK\r\n"`,
		"# the body",
		`body "plain text from EuroPi\n"`,
		"end fin",
		"[expect b]",
		`status "HTTP/1.0 200 OK\r\n"`,
		`header "Content-type: text/plain\r\n"`,
		`body "x"`,
		"end fin",
		"[expect b when pico-w]",
		`difference "already known"`,
		`body "y"`,
		"[device]",
		"escapes 1",
	)
	tests := []struct {
		name    string
		handle  func(c *net.TCPConn)
		changes []string
		wrote   []string // sections written, in file order
	}{
		{
			name:   "nothing came",
			handle: dropping,
			changes: []string{
				"x/y [expect a when pico-w]\n  - status \"HTTP/1.0 200 OK\\r\\n\"\n  - body \"plain text from EuroPi\\n\"\n  + raw \"\"\n",
				"x/y [expect b when pico-w]\n  - status \"HTTP/1.0 200 OK\\r\\n\"\n  - header \"Content-type: text/plain\\r\\n\"\n  - body \"y\"\n  + raw \"\"\n",
				"x/y [device when pico-w]\n  - escapes 1\n  + escapes 0\n",
			},
			wrote: []string{
				"\n[expect a when pico-w]\nraw \"\"\n",
				// The existing override for the label is rewritten in
				// place: its body goes, as raw "" states the response whole.
				"\n[expect b when pico-w]\ndifference \"already known\"\nraw \"\"\n",
				"\n[device when pico-w]\nescapes 0\n",
			},
		},
		{
			name:   "another body",
			handle: testnet.Answer("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nz"),
			changes: []string{
				"x/y [expect a when pico-w]\n  - body \"plain text from EuroPi\\n\"\n  + body \"z\"\n",
				"x/y [expect b when pico-w]\n  - body \"y\"\n  + body \"z\"\n",
				"x/y [device when pico-w]\n  - escapes 1\n  + escapes 0\n",
			},
			wrote: []string{"\n[expect a when pico-w]\nbody \"z\"\n", "\n[expect b when pico-w]\ndifference \"already known\"\nbody \"z\"\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.Serve(t, tt.handle)
			s := scenariotest.MustParse(t, "x/y", base)
			r := Runner{Timeout: 300 * time.Millisecond} // bounds the wait for the escape that never comes
			target := Target{Name: "dev", Addr: addr, Labels: []string{"micropython", "pico-w"},
				Escapes: newFakeEscapes(), KeepsServing: true}
			res := r.RunScenario(t.Context(), target, s)
			require.Equal(t, StatusFail, res.Status)

			changes, left := UpdateOverride(res, "pico-w")
			assert.Empty(t, left)
			assert.ElementsMatch(t, tt.changes, changeTexts(changes))
			out := string(scenario.Format(s))
			for _, w := range tt.wrote {
				assert.Contains(t, out, w)
			}
			// The base is as it was, comments included.
			assert.Contains(t, out, "[expect a]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\n# the body\nbody \"plain text from EuroPi\\n\"\nend fin\n")
			assert.Contains(t, out, "[device]\nescapes 1\n")

			// What was written passes against the same target, and the
			// new sections still need a person's difference.
			again := scenariotest.MustParse(t, s.ID, out)
			res = r.RunScenario(t.Context(), target, again)
			assert.Contains(t, []Status{StatusPass, StatusDifference}, res.Status, "%v", res.Failures)
			assert.False(t, NeedsDifference(again, "pico-w"), "b's override already says why")
		})
	}
}

func TestUpdateOverrideStatesABodyTheMatchersCannotDescribe(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer("HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n{}"))
	s := scenariotest.MustParse(t, "x/y", scenariotest.Minimal+scenariotest.Lines(
		"[expect]",
		`status "HTTP/1.0 400 Bad Request\r\n"`,
		`error-page 400 "Bad Request"`,
		`message-like "^E"`,
		"end fin",
	))
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "dev", Addr: addr, Labels: []string{"pico-w-patched"}}, s)
	require.Equal(t, StatusFail, res.Status)
	changes, left := UpdateOverride(res, "pico-w-patched")
	assert.Empty(t, left)
	assert.Len(t, changes, 2)
	out := string(scenario.Format(s))
	assert.Contains(t, out, "\n[expect when pico-w-patched]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"{}\"\n")
	assert.True(t, NeedsDifference(s, "pico-w-patched"))
	assert.False(t, NeedsDifference(s, "pico-w"), "no override for the label, nothing to explain")
}

func TestUpdateOverrideLeavesWhatItCannotWrite(t *testing.T) {
	s := scenariotest.MustParse(t, "x/y", scenariotest.Minimal+"[expect]\nend fin\n[device]\nescapes 1\nescape-like \"^x\"\n")
	res := Result{ID: s.ID, Scenario: s, Resolved: Resolve(s, nil), Status: StatusFail,
		Capture: &Capture{Conns: []*ConnCapture{{Name: scenario.MainConn, End: scenario.EndError, Err: "boom"}},
			EscapesKnown: true, Escapes: []string{"y"}}}
	res.Failures = Check(res.Resolved, res.Capture)
	changes, left := UpdateOverride(res, "pico-w")
	assert.Empty(t, changes)
	var whats []string
	for _, f := range left {
		whats = append(whats, f.What)
	}
	assert.ElementsMatch(t, []string{"end", "escape-like"}, whats, "an unnamed end and a regexp stay for a person")
	assert.NotContains(t, string(scenario.Format(s)), "when pico-w")
}
