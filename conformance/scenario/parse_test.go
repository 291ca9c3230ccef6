package scenario_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// full uses every keyword of the format.
var full = scenariotest.Lines(
	"# top comment",
	"[scenario]",
	`description "every keyword"`,
	"# why this rule",
	`rule behaviour "Only the first read is seen"`,
	`rule routes "r2"`,
	"timeout 300ms",
	"",
	"[inputs]",
	"k1 40",
	"# held down",
	"b1 1",
	"ain 3.5",
	"",
	"[steps]",
	"connect a",
	"connect c within 300ms",
	`send "GET / HTTP/1.0\r\n" "x"*3`,
	`    "\x00\xff\r\n"`,
	`send b may-fail "\r\n"`,
	"wait 100ms",
	"mark m1",
	"shutdown",
	"await",
	"close a",
	"reset b",
	"",
	"[expect c]",
	"end refused",
	"",
	"[expect]",
	`status "HTTP/1.0 200 OK\r\n"`,
	`header "Content-type: text/plain\r\n"`,
	`header "charset=utf-8\r\n"`,
	`body "a\n"`,
	`    "b"`,
	"end fin rst",
	"at m1 0",
	"",
	"[expect a]",
	`raw ""`,
	"end closed",
	"",
	"[expect b]",
	`json "{\"a\": 1}"`,
	`error-page 418 "I'm a teapot"`,
	`message-like "^x$"`,
	"length 3",
	`prefix "a"`,
	`suffix "c"`,
	"end timeout",
	"",
	"# override",
	"[expect b when micropython pico-w]",
	`difference "because"`,
	`rule api "r3"`,
	`message "m"`,
	"",
	"[device]",
	"escapes 1",
	`escape-like "^OSError"`,
	"",
	"# trailer",
)

func TestParseFull(t *testing.T) {
	s := scenariotest.MustParse(t, "area/full", full)
	assert.Equal(t, "area/full", s.ID)
	assert.Equal(t, []string{"top comment"}, s.Comment)
	assert.Equal(t, "every keyword", s.Description)
	require.Len(t, s.Rules, 2)
	assert.Equal(t, scenario.Rule{Source: "behaviour", Text: "Only the first read is seen", Comment: []string{"why this rule"}, Line: 5}, s.Rules[0])
	assert.Equal(t, 300*time.Millisecond, s.Timeout)

	require.Len(t, s.Steps, 10)
	assert.Equal(t, []scenario.Input{{Name: "k1", Value: 40, Line: 10}, {Name: "b1", Value: 1, Comment: []string{"held down"}, Line: 12},
		{Name: "ain", Value: 3.5, Line: 13}}, s.Inputs)
	assert.Equal(t, scenario.Step{Kind: scenario.StepConnect, Conn: "a", Line: 16}, s.Steps[0])
	assert.Equal(t, scenario.Step{Kind: scenario.StepConnect, Conn: "c", Within: 300 * time.Millisecond, Line: 17}, s.Steps[1])
	steps := s.Steps[1:]
	assert.Equal(t, scenario.MainConn, steps[1].Conn)
	assert.Equal(t, "GET / HTTP/1.0\r\nxxx\x00\xff\r\n", string(steps[1].Data.Value()))
	assert.Equal(t, []scenario.Part{{Text: "GET / HTTP/1.0\r\n"}, {Text: "x", Repeat: 3}, {Text: "\x00\xff\r\n", NewLine: true}}, steps[1].Data.Parts)
	assert.True(t, steps[2].MayFail)
	assert.Equal(t, "b", steps[2].Conn)
	assert.Equal(t, 100*time.Millisecond, steps[3].Wait)
	assert.Equal(t, "m1", steps[4].Mark)
	assert.Equal(t, scenario.StepReset, steps[8].Kind)

	require.Len(t, s.Sections, 6)
	assert.Equal(t, []scenario.End{scenario.EndRefused}, s.Sections[0].Clauses[0].Ends)
	sections := s.Sections[1:]
	main := sections[0]
	assert.Equal(t, "expect", main.Header())
	assert.Equal(t, []scenario.End{scenario.EndFIN, scenario.EndRST}, main.Clauses[4].Ends)
	assert.Equal(t, "a\nb", string(main.Clauses[3].Bytes.Value()))
	assert.Equal(t, scenario.Clause{Kind: scenario.ClauseAt, Mark: "m1", N: 0, Line: 38}, main.Clauses[5])
	b := sections[2]
	assert.Equal(t, 418, b.Clauses[1].N)
	assert.Equal(t, "I'm a teapot", b.Clauses[1].Text)
	over := sections[3]
	assert.Equal(t, "expect b when micropython pico-w", over.Header())
	assert.Equal(t, []string{"override"}, over.Comment)
	assert.Equal(t, "because", over.Difference)
	assert.Equal(t, scenario.SectionDevice, sections[4].Kind)
	assert.Equal(t, []string{"trailer"}, s.Trailer)
}

func TestParseErrors(t *testing.T) {
	head := scenariotest.Minimal
	tests := []struct {
		name string
		text string
		line int
		want string
	}{
		{"empty file", "", 0, "no description"},
		{"no scenario header", "description \"x\"\n", 1, "before the first section"},
		{"wrong first section", "[steps]\n", 1, "must start with [scenario]"},
		{"unknown section", "[scenario]\n[nope]\n", 2, "unknown section [nope]"},
		{"sections out of order", "[scenario]\n[expect]\n[steps]\n", 3, "[steps] after [expect]"},
		{"second scenario", "[scenario]\n[scenario]\n", 2, "a second [scenario]"},
		{"unterminated header", "[scenario\n", 1, "does not end with ]"},
		{"unknown scenario keyword", "[scenario]\nname \"x\"\n", 2, "unknown [scenario] keyword"},
		{"description not quoted", "[scenario]\ndescription x\n", 2, "want the description as a quoted string"},
		{"unknown rule source", "[scenario]\nrule wiki \"x\"\n", 2, `unknown source "wiki"`},
		{"bad timeout", "[scenario]\ntimeout soon\n", 2, "not a positive duration"},
		{"no rule", "[scenario]\ndescription \"d\"\n[steps]\nconnect\n[expect]\n", 0, "no rule"},
		{"no steps", "[scenario]\ndescription \"d\"\nrule routes \"r\"\n[steps]\n", 0, "no [steps]"},
		{"unknown step", head + "jump\n", 7, `unknown step "jump"`},
		{"send without bytes", head + "send\n", 7, "want a quoted byte string"},
		{"flag after bytes", head + "send \"x\" may-fail\n", 7, "flags go before it"},
		{"unterminated string", head + "send \"x\n", 7, "unterminated string"},
		{"bad escape", head + "send \"\\q\"\n", 7, "bad string"},
		{"trailing comment", head + "send \"x\" # no\n", 7, "comment must be on its own line"},
		{"repeat too big", head + "send \"x\"*99999999\n", 7, "repeat count"},
		{"bad wait", head + "wait -1s\n", 7, "not a positive duration"},
		{"bad connect within", head + "connect within soon\n", 7, "connect within: \"soon\" is not a positive duration"},
		{"connect within nothing", head + "connect b within\n", 7, "want a duration"},
		{"unknown end", head + "connect\n[expect]\nend never\n", 9, "want fin, rst, timeout, closed or refused"},
		{"bad connection name", head + "close B\n", 7, "bad connection name"},
		{"dangling continuation", head + "wait 1ms\n    \"x\"\n", 8, "does not continue a byte string"},
		{"word in continuation", head + "    x\n", 7, "only quoted strings"},
		{"send after close", head + "close\nsend \"x\"\n[expect]\nend fin\n", 8, "after the connection was closed"},
		{"connect twice", head + "connect\n", 7, "already open"},
		{"no base expect", head, 0, "connection main has no base [expect] section"},
		{"expect for unused conn", head + "[expect]\n[expect b]\n", 8, "no step uses connection b"},
		{"two base expects", head + "[expect]\n[expect]\n", 8, "a second base [expect]"},
		{"empty override", head + "[expect]\n[expect when cpython]\n", 8, "overrides nothing"},
		{"difference in base", head + "[expect]\ndifference \"x\"\n", 8, "belongs in an override"},
		{"bad when", head + "[expect when]\n", 7, "want [expect when LABEL...]"},
		{"bad label", head + "[expect when CPython]\n", 7, "bad label name"},
		{"device clause in expect", head + "[expect]\nescapes 1\n", 8, "belongs in a [device] section"},
		{"expect clause in device", head + "[expect]\n[device]\nstatus \"x\"\n", 9, "unknown [device] keyword"},
		{"unknown clause", head + "[expect]\nheaders \"x\"\n", 8, `unknown [expect] keyword "headers"`},
		{"invalid json", head + "[expect]\njson \"{\"\n", 8, "not valid JSON"},
		{"invalid regexp", head + "[expect]\nmessage-like \"(\"\n", 8, "missing closing )"},
		{"bad code", head + "[expect]\nerror-page 42 \"x\"\n", 8, "not three digits"},
		{"unknown end", head + "[expect]\nend eof\n", 8, `unknown end "eof"`},
		{"no end", head + "[expect]\nend\n", 8, "want one or more"},
		{"unknown mark", head + "[expect]\nat m 0\n", 8, `no step sets mark "m"`},
		{"duplicate clause", head + "[expect]\nstatus \"a\"\nstatus \"b\"\n", 9, "states status twice"},
		{"message and message-like", head + "[expect]\nmessage \"a\"\nmessage-like \"b\"\n", 7, "both message and message-like"},
		{"negative count", head + "[expect]\nlength -1\n", 8, "not a whole number"},
		{"inputs after steps", head + "[inputs]\n", 7, "[inputs] after [steps]"},
		{"empty inputs", "[scenario]\n[inputs]\n[steps]\n", 3, "[inputs] sets nothing"},
		{"second inputs", "[scenario]\n[inputs]\nk1 1\n[inputs]\n", 4, "a second [inputs]"},
		{"inputs take no arguments", "[scenario]\n[inputs a]\n", 2, "[inputs] takes no arguments"},
		{"unknown input", "[scenario]\n[inputs]\nk3 1\n", 3, `unknown input "k3"; want one of k1, k2, ain, din, b1, b2`},
		{"input twice", "[scenario]\n[inputs]\nk1 1\nk1 2\n", 4, "input k1 is set twice"},
		{"input without value", "[scenario]\n[inputs]\nk1\n", 3, "k1: want a number"},
		{"input value quoted", "[scenario]\n[inputs]\nk1 \"4\"\n", 3, "k1: want a number"},
		{"input value not a number", "[scenario]\n[inputs]\nk1 high\n", 3, `k1: "high" is not a decimal number`},
		{"input value in hex", "[scenario]\n[inputs]\nk1 0x10\n", 3, `k1: "0x10" is not a decimal number`},
		{"input value NaN", "[scenario]\n[inputs]\nain NaN\n", 3, "input ain: NaN is outside 0..12"},
		{"knob over 100", "[scenario]\n[inputs]\nk2 100.5\n", 3, "input k2: 100.5 is outside 0..100"},
		{"negative ain", "[scenario]\n[inputs]\nain -1\n", 3, "input ain: -1 is outside 0..12"},
		{"half a button", "[scenario]\n[inputs]\nb2 0.5\n", 3, "input b2: 0.5 is not 0 or 1"},
		{"two values", "[scenario]\n[inputs]\ndin 1 0\n", 3, `din: unexpected "0"`},
		{"comment after the inputs", "[scenario]\n[inputs]\nk1 1\n# x\n[steps]\n", 5, "comments before [steps] belong inside [scenario]"},
		{"extra argument", head + "[expect]\nlength 1 2\n", 8, `unexpected "2"`},
		{"outcome in a base section", head + "[expect]\noutcome lost\n", 8, "outcome belongs in an override section"},
		{"second outcome", head + "[expect]\n[expect when pico-w]\noutcome a\noutcome b\n", 10, "a second outcome"},
		{"outcome after the difference", head + "[expect]\n[expect when pico-w]\ndifference \"x\"\noutcome a\n", 10, "outcome goes first"},
		{"bad outcome name", head + "[expect]\n[expect when pico-w]\noutcome Lost\n", 9, `bad outcome name "Lost"`},
		{"outcome without a name", head + "[expect]\n[expect when pico-w]\noutcome\n", 9, "outcome: want a name"},
		{"outcome name quoted", head + "[expect]\n[expect when pico-w]\noutcome \"a\"\n", 9, "outcome: want a name"},
		{"outcome with two names", head + "[expect]\n[expect when pico-w]\noutcome a b\n", 9, `outcome: unexpected "b"`},
		{"a lone outcome", head + "[expect]\nend fin\n[expect when pico-w]\noutcome lost\nraw \"\"\n", 9,
			"outcome lost is the only outcome the scenario declares: declare at least two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x/y", []byte(tt.text))
			require.Error(t, err)
			var pe *scenario.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line, "line of %q", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "x/y.scenario")
		})
	}
}

// outcomes declares two outcomes for pico-w, and an override that holds
// for both.
var outcomes = scenariotest.Minimal + scenariotest.Lines(
	"",
	"[expect]",
	`status "HTTP/1.0 200 OK\r\n"`,
	"end fin",
	"",
	"[expect when pico-w]",
	"end fin rst",
	"",
	"# the usual",
	"[expect when pico-w]",
	"outcome lost",
	`difference "lost"`,
	`rule behaviour "b"`,
	`raw ""`,
	"",
	"[expect when micropython pico-w]",
	"outcome answered",
	`difference "answered"`,
	`status "HTTP/1.0 200 OK\r\n"`,
)

func TestParseOutcomes(t *testing.T) {
	s := scenariotest.MustParse(t, "area/outcomes", outcomes)
	require.Len(t, s.Sections, 4)
	assert.Empty(t, s.Sections[1].Outcome, "an override without an outcome holds for all")
	assert.Equal(t, "lost", s.Sections[2].Outcome)
	assert.Equal(t, []string{"the usual"}, s.Sections[2].Comment)
	assert.Equal(t, "lost", s.Sections[2].Difference)
	assert.Equal(t, "answered", s.Sections[3].Outcome)
	assert.Equal(t, "expect when micropython pico-w", s.Sections[3].Header(), "the outcome is not part of the header")
	assert.Equal(t, outcomes, string(scenario.Format(s)), "Format writes the outcome line first, as parsed")
}
