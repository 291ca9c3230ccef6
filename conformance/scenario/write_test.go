package scenario

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clearLines zeroes the line numbers, which Format does not write.
func clearLines(s *Scenario) *Scenario {
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
	s := mustParse(t, "area/full", full)
	assert.Equal(t, full, string(Format(s)))
}

func TestFormatParseRoundTrip(t *testing.T) {
	awkward := "\x00\r\n\xff\xfe\"\\`\t\u00fc\u2028 #[x]"
	tests := []struct {
		name string
		s    *Scenario
	}{
		{"every byte value", &Scenario{
			Description: "all bytes " + awkward,
			Rules:       []Rule{{Source: "api", Text: awkward}},
			Steps:       []Step{{Kind: StepSend, Conn: MainConn, Data: B(allBytes())}},
			Sections: []*Section{{Kind: SectionExpect, Conn: MainConn, Clauses: []Clause{
				{Kind: ClauseRaw, Bytes: B(allBytes())},
				{Kind: ClauseMessage, Bytes: B(awkward)},
			}}},
		}},
		{"parts and layout", &Scenario{
			Comment:     []string{"", "a comment", "#"},
			Description: "d",
			Rules:       []Rule{{Source: "routes", Text: "r", Comment: []string{"c"}}},
			Timeout:     1500 * time.Millisecond,
			Inputs: []Input{{Name: "ain", Value: 0.1, Comment: []string{"a", ""}}, {Name: "k2", Value: 99.99999999999999},
				{Name: "din", Value: 1}, {Name: "k1", Value: 0}, {Name: "b2", Value: 0}, {Name: "b1", Value: 1}},
			Steps: []Step{
				{Kind: StepSend, Conn: "c1", MayFail: true, Data: Bytes{Parts: []Part{{Text: "a"}, {Text: "b", Repeat: 1000}, {Text: "\r\n", NewLine: true}, {Text: ""}}}},
				{Kind: StepWait, Wait: 2 * time.Millisecond, Comment: []string{"pause"}},
				{Kind: StepMark, Mark: "m"},
				{Kind: StepAwait, Conn: "c1"},
			},
			Sections: []*Section{
				{Kind: SectionExpect, Conn: "c1", Clauses: []Clause{
					{Kind: ClauseBody, Bytes: LinesOf([]byte("one\ntwo\n\nthree"))},
					{Kind: ClauseAt, Mark: "m", N: 7},
					{Kind: ClauseEnd, Ends: []End{EndTimeout, EndClosed}, Comment: []string{"either"}},
				}},
				{Kind: SectionExpect, Conn: "c1", When: []string{"a", "b-2"}, Difference: "why", Comment: []string{"o"},
					Rules:   []Rule{{Source: "behaviour", Text: "x"}},
					Clauses: []Clause{{Kind: ClauseJSON, Text: `{"u": "\u00fc"}`}, {Kind: ClauseErrorPage, N: 501, Text: "Not Implemented"}}},
				{Kind: SectionDevice, Clauses: []Clause{{Kind: ClauseEscapes, N: 2}, {Kind: ClauseEscapeLike, Text: `^a\.b$`}}},
			},
			Trailer: []string{"end"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.ID = "rt/" + tt.name
			text := Format(tt.s)
			got, err := Parse(tt.s.ID, text)
			require.NoError(t, err, "%s", text)
			assert.Equal(t, tt.s, clearLines(got))
			assert.Equal(t, string(text), string(Format(got)), "Format is stable")
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
		want []Part
	}{
		{"", []Part{{}}},
		{"a", []Part{{Text: "a"}}},
		{"a\n", []Part{{Text: "a\n"}}},
		{"a\nb\r\n\nc", []Part{{Text: "a\n"}, {Text: "b\r\n", NewLine: true}, {Text: "\n", NewLine: true}, {Text: "c", NewLine: true}}},
	}
	for _, tt := range tests {
		b := LinesOf([]byte(tt.in))
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
		parts func(s *Scenario) []Part
		want  []Part
	}{
		{"send", []string{`send "a"*1 "b"*2`, "", "[expect]", "end fin"},
			func(s *Scenario) []Part { return s.Steps[0].Data.Parts },
			[]Part{{Text: "a"}, {Text: "b", Repeat: 2}}},
		{"continuation", []string{`send "a"`, `    "c"*1`, "", "[expect]", "end fin"},
			func(s *Scenario) []Part { return s.Steps[0].Data.Parts },
			[]Part{{Text: "a"}, {Text: "c", NewLine: true}}},
		{"clause", []string{`send "a"`, "", "[expect]", `body "x"*1`},
			func(s *Scenario) []Part { return s.Sections[0].Clauses[0].Bytes.Parts },
			[]Part{{Text: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := lines(append([]string{"[scenario]", `description "d"`, `rule routes "r"`, "", "[steps]"}, tt.lines...)...)
			s := mustParse(t, "rt/one", text)
			assert.Equal(t, tt.want, tt.parts(s))
			again := mustParse(t, "rt/one", string(Format(s)))
			assert.Equal(t, clearLines(s), clearLines(again))
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	s := mustParse(t, "area/name", full)
	require.NoError(t, WriteFile(dir, s))
	data, err := os.ReadFile(filepath.Join(dir, "area", "name.scenario"))
	require.NoError(t, err)
	assert.Equal(t, full, string(data))

	loaded, err := LoadDir(dir)
	require.NoError(t, err)
	require.Len(t, loaded, 1)
	assert.Equal(t, "area/name", loaded[0].ID)
}
