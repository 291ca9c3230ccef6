package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// layered has a base and overrides that touch different groups.
var layered = scenariotest.Minimal + scenariotest.Lines(
	"[expect]",
	`status "base"`,
	`header "h1"`,
	`header "h2"`,
	`error-page 500 "Internal Server Error"`,
	`message "m"`,
	"end fin",
	"[expect when micropython]",
	`difference "mpy"`,
	`message "mpy"`,
	"[expect when pico-w]",
	`difference "pico"`,
	"end rst",
	`message "pico"`,
	"[expect when cpython emulator]",
	`header "only"`,
	"[device]",
	"escapes 1",
	"[device when pico-w]",
	"escapes 0",
)

// describe renders effective clauses compactly: kind=value.
func describe(cs []Effective) []string {
	var out []string
	for _, c := range cs {
		v := string(c.Bytes.Value())
		switch c.Kind {
		case scenario.ClauseEnd:
			v = joinEnds(c.Ends)
		case scenario.ClauseErrorPage:
			v = c.Text
		case scenario.ClauseEscapes:
			v = string(rune('0' + c.N))
		}
		out = append(out, string(c.Kind)+"="+v)
	}
	return out
}

func TestResolve(t *testing.T) {
	s := scenariotest.MustParse(t, "r/layered", layered)
	tests := []struct {
		labels []string
		main   []string
		device []string
		diffs  []string
	}{
		{nil, []string{"status=base", "header=h1", "header=h2", "error-page=Internal Server Error", "message=m", "end=fin"}, []string{"escapes=1"}, nil},
		// The body group is replaced whole: the override's message alone.
		{[]string{"micropython"}, []string{"status=base", "header=h1", "header=h2", "message=mpy", "end=fin"}, []string{"escapes=1"}, []string{"mpy"}},
		// Later labels win where two overrides state the same group.
		{[]string{"micropython", "pico-w"}, []string{"status=base", "header=h1", "header=h2", "message=pico", "end=rst"}, []string{"escapes=0"}, []string{"mpy", "pico"}},
		{[]string{"pico-w", "micropython"}, []string{"status=base", "header=h1", "header=h2", "message=mpy", "end=rst"}, []string{"escapes=0"}, []string{"pico", "mpy"}},
		// A section naming two labels applies once.
		{[]string{"emulator", "cpython"}, []string{"status=base", "header=only", "error-page=Internal Server Error", "message=m", "end=fin"}, []string{"escapes=1"}, nil},
		{[]string{"unknown"}, []string{"status=base", "header=h1", "header=h2", "error-page=Internal Server Error", "message=m", "end=fin"}, []string{"escapes=1"}, nil},
	}
	for _, tt := range tests {
		r := Resolve(s, tt.labels)
		require.Len(t, r.Conns, 1)
		assert.Equal(t, tt.main, describe(r.Conns[0].Clauses), "labels %v", tt.labels)
		assert.Equal(t, tt.device, describe(r.Device), "labels %v", tt.labels)
		assert.Equal(t, tt.diffs, r.Differences, "labels %v", tt.labels)
	}
}

func TestResolveRawAndPartsReplaceEachOther(t *testing.T) {
	s := scenariotest.MustParse(t, "r/raw", scenariotest.Minimal+scenariotest.Lines(
		"[expect]",
		`status "s"`,
		`header "h"`,
		`body "b"`,
		"end fin",
		"[expect when pico-w]",
		`raw ""`,
		"end fin rst",
		"[expect when later]",
		`status "t"`,
		"[expect when parts]",
		`body "c"`,
		"end rst",
	))
	tests := []struct {
		labels []string
		main   []string
	}{
		{nil, []string{"status=s", "header=h", "body=b", "end=fin"}},
		// raw "" says no response came: the base's parts go.
		{[]string{"pico-w"}, []string{"end=fin or rst", "raw="}},
		// Parts stated after raw replace it; the parts not restated stay gone.
		{[]string{"pico-w", "later"}, []string{"end=fin or rst", "status=t"}},
		// Parts replace parts, as before.
		{[]string{"parts"}, []string{"status=s", "header=h", "body=c", "end=rst"}},
	}
	for _, tt := range tests {
		r := Resolve(s, tt.labels)
		require.Len(t, r.Conns, 1)
		assert.Equal(t, tt.main, describe(r.Conns[0].Clauses), "labels %v", tt.labels)
	}
}

func TestResolveKeepsOrigins(t *testing.T) {
	s := scenariotest.MustParse(t, "r/layered", layered)
	r := Resolve(s, []string{"micropython"})
	for _, ef := range r.Conns[0].Clauses {
		assert.Equal(t, ef.Clause.Kind, ef.Section.Clauses[ef.Index].Kind, "each effective clause points at its line")
	}
	assert.Equal(t, s.Sections[1], r.Conns[0].Clauses[3].Section, "the message comes from the micropython override")
}
