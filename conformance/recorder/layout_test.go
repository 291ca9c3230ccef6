package recorder

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// formatted writes a Bytes as a clause would, to compare layouts as text.
func formatted(b scenario.Bytes) string {
	s := &scenario.Scenario{ID: "x", Description: "d", Rules: []scenario.Rule{{Source: "routes", Text: "r"}},
		Steps: []scenario.Step{{Kind: scenario.StepSend, Conn: scenario.MainConn, Data: b}}}
	text := string(scenario.Format(s))
	_, after, _ := strings.Cut(text, "[steps]\nsend ")
	return strings.TrimSuffix(after, "\n")
}

func TestLayout(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", `""`},
		{"short stays on one line", "GET / HTTP/1.0\r\n\r\n", `"GET / HTTP/1.0\r\n\r\n"`},
		{"long is cut after line feeds", "GET /echo HTTP/1.0\r\nUser-Agent: a-rather-long-client-name/1.0.0 (x86_64)\r\nAccept: */*\r\n\r\n",
			"\"GET /echo HTTP/1.0\\r\\n\"\n    \"User-Agent: a-rather-long-client-name/1.0.0 (x86_64)\\r\\n\"\n    \"Accept: */*\\r\\n\"\n    \"\\r\\n\""},
		{"a run of one byte", "X-Pad: " + strings.Repeat("a", 994) + "\r\n", `"X-Pad: " "a"*994 "\r\n"`},
		{"a run of a longer unit", strings.Repeat("0123456789", 2000), `"0123456789"*2000`},
		{"short runs stay literal", strings.Repeat("ab", 10), `"` + strings.Repeat("ab", 10) + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := layout([]byte(tt.data))
			assert.Equal(t, tt.data, string(b.Value()))
			assert.Equal(t, tt.want, formatted(b))
		})
	}
}

func TestLayoutRoundTripsAnyBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab\r\n\x00\xff")
	for range 300 {
		data := make([]byte, r.IntN(400))
		for i := range data {
			if i > 0 && r.IntN(3) > 0 {
				data[i] = data[i-1] // make runs likely
				continue
			}
			data[i] = alphabet[r.IntN(len(alphabet))]
		}
		b := layout(data)
		require.Equal(t, data, append([]byte{}, b.Value()...))
		// What Format writes, Parse reads back to the same bytes.
		s := &scenario.Scenario{ID: "x", Description: "d", Rules: []scenario.Rule{{Source: "routes", Text: "r"}},
			Steps:    []scenario.Step{{Kind: scenario.StepSend, Conn: scenario.MainConn, Data: b}},
			Sections: []*scenario.Section{{Kind: scenario.SectionExpect, Conn: scenario.MainConn, Clauses: []scenario.Clause{{Kind: scenario.ClauseEnd, Ends: []scenario.End{scenario.EndFIN}}}}}}
		back, err := scenario.Parse("x", scenario.Format(s))
		require.NoError(t, err)
		require.Equal(t, data, append([]byte{}, back.Steps[0].Data.Value()...))
	}
}
