package scenario_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// clearLines zeroes the line numbers, which Format does not write.
func clearLines(s *scenario.Scenario) *scenario.Scenario {
	for i := range s.Rules {
		s.Rules[i].Line = 0
	}
	for i := range s.Inputs {
		s.Inputs[i].Line = 0
	}
	for i := range s.Steps {
		s.Steps[i].Line = 0
	}
	for _, sec := range s.Sections {
		sec.Line = 0
		for i := range sec.Rules {
			sec.Rules[i].Line = 0
		}
		for i := range sec.Clauses {
			sec.Clauses[i].Line = 0
		}
	}
	return s
}

func TestFormatCanonicalTextRoundTrips(t *testing.T) {
	// full is written in the canonical layout, so Format gives it back
	// byte for byte.
	s := scenariotest.MustParse(t, "area/full", full)
	assert.Equal(t, full, string(scenario.Format(s)))
}

func TestFormatParseRoundTrip(t *testing.T) {
	awkward := "\x00\r\n\xff\xfe\"\\`\t\u00fc\u2028 #[x]"
	tests := []struct {
		name string
		s    *scenario.Scenario
	}{
		{"every byte value", &scenario.Scenario{
			Description: "all bytes " + awkward,
			Rules:       []scenario.Rule{{Source: "api", Text: awkward}},
			Steps:       []scenario.Step{{Kind: scenario.StepSend, Conn: scenario.MainConn, Data: scenario.B(allBytes())}},
			Sections: []*scenario.Section{{Kind: scenario.SectionExpect, Conn: scenario.MainConn, Clauses: []scenario.Clause{
				{Kind: scenario.ClauseRaw, Bytes: scenario.B(allBytes())},
				{Kind: scenario.ClauseMessage, Bytes: scenario.B(awkward)},
			}}},
		}},
		{"parts and layout", &scenario.Scenario{
			Comment:     []string{"", "a comment", "#"},
			Description: "d",
			Rules:       []scenario.Rule{{Source: "routes", Text: "r", Comment: []string{"c"}}},
			Timeout:     1500 * time.Millisecond,
			Inputs: []scenario.Input{{Name: "ain", Value: 0.1, Comment: []string{"a", ""}}, {Name: "k2", Value: 99.99999999999999},
				{Name: "din", Value: 1}, {Name: "k1", Value: 0}, {Name: "b2", Value: 0}, {Name: "b1", Value: 1}},
			Steps: []scenario.Step{
				{Kind: scenario.StepSend, Conn: "c1", MayFail: true, Data: scenario.Bytes{Parts: []scenario.Part{{Text: "a"}, {Text: "b", Repeat: 1000}, {Text: "\r\n", NewLine: true}, {Text: ""}}}},
				{Kind: scenario.StepWait, Wait: 2 * time.Millisecond, Comment: []string{"pause"}},
				{Kind: scenario.StepMark, Mark: "m"},
				{Kind: scenario.StepAwait, Conn: "c1"},
			},
			Sections: []*scenario.Section{
				{Kind: scenario.SectionExpect, Conn: "c1", Clauses: []scenario.Clause{
					{Kind: scenario.ClauseBody, Bytes: scenario.LinesOf([]byte("one\ntwo\n\nthree"))},
					{Kind: scenario.ClauseAt, Mark: "m", N: 7},
					{Kind: scenario.ClauseEnd, Ends: []scenario.End{scenario.EndTimeout, scenario.EndClosed}, Comment: []string{"either"}},
				}},
				{Kind: scenario.SectionExpect, Conn: "c1", When: []string{"a", "b-2"}, Difference: "why", Comment: []string{"o"},
					Rules:   []scenario.Rule{{Source: "behaviour", Text: "x"}},
					Clauses: []scenario.Clause{{Kind: scenario.ClauseJSON, Text: `{"u": "\u00fc"}`}, {Kind: scenario.ClauseErrorPage, N: 501, Text: "Not Implemented"}}},
				{Kind: scenario.SectionDevice, Clauses: []scenario.Clause{{Kind: scenario.ClauseEscapes, N: 2}, {Kind: scenario.ClauseEscapeLike, Text: `^a\.b$`}}},
			},
			Trailer: []string{"end"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.ID = "rt/" + tt.name
			text := scenario.Format(tt.s)
			got, err := scenario.Parse(tt.s.ID, text)
			require.NoError(t, err, "%s", text)
			assert.Equal(t, tt.s, clearLines(got))
			assert.Equal(t, string(text), string(scenario.Format(got)), "Format is stable")
		})
	}
}

// allBytes returns every byte value once.
func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

func TestLinesOf(t *testing.T) {
	tests := []struct {
		in   string
		want []scenario.Part
	}{
		{"", []scenario.Part{{}}},
		{"a", []scenario.Part{{Text: "a"}}},
		{"a\n", []scenario.Part{{Text: "a\n"}}},
		{"a\nb\r\n\nc", []scenario.Part{{Text: "a\n"}, {Text: "b\r\n", NewLine: true}, {Text: "\n", NewLine: true}, {Text: "c", NewLine: true}}},
	}
	for _, tt := range tests {
		b := scenario.LinesOf([]byte(tt.in))
		assert.Equal(t, tt.want, b.Parts, "%q", tt.in)
		assert.Equal(t, tt.in, string(b.Value()))
	}
}

func TestParseReadsRepeatOneAsOnce(t *testing.T) {
	// Format never writes "*1", so Parse must read it as no repeat for
	// Parse(Format(s)) to give s back.
	tests := []struct {
		name  string
		lines []string
		parts func(s *scenario.Scenario) []scenario.Part
		want  []scenario.Part
	}{
		{"send", []string{`send "a"*1 "b"*2`, "", "[expect]", "end fin"},
			func(s *scenario.Scenario) []scenario.Part { return s.Steps[0].Data.Parts },
			[]scenario.Part{{Text: "a"}, {Text: "b", Repeat: 2}}},
		{"continuation", []string{`send "a"`, `    "c"*1`, "", "[expect]", "end fin"},
			func(s *scenario.Scenario) []scenario.Part { return s.Steps[0].Data.Parts },
			[]scenario.Part{{Text: "a"}, {Text: "c", NewLine: true}}},
		{"clause", []string{`send "a"`, "", "[expect]", `body "x"*1`},
			func(s *scenario.Scenario) []scenario.Part { return s.Sections[0].Clauses[0].Bytes.Parts },
			[]scenario.Part{{Text: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := scenariotest.Lines(append([]string{"[scenario]", `description "d"`, `rule routes "r"`, "", "[steps]"}, tt.lines...)...)
			s := scenariotest.MustParse(t, "rt/one", text)
			assert.Equal(t, tt.want, tt.parts(s))
			again := scenariotest.MustParse(t, "rt/one", string(scenario.Format(s)))
			assert.Equal(t, clearLines(s), clearLines(again))
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	s := scenariotest.MustParse(t, "area/name", full)
	require.NoError(t, scenario.WriteFile(dir, s))
	data, err := os.ReadFile(filepath.Join(dir, "area", "name.scenario"))
	require.NoError(t, err)
	assert.Equal(t, full, string(data))

	loaded, err := scenario.LoadDir(dir)
	require.NoError(t, err)
	require.Len(t, loaded, 1)
	assert.Equal(t, "area/name", loaded[0].ID)
}
