package clients

import (
	"testing"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseSteps parses a one-connection scenario with the given steps.
func parseSteps(t *testing.T, id, steps string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse(id, []byte("[scenario]\ndescription \"d\"\nrule routes \"r\"\n\n[steps]\n"+steps+"\n\n[expect]\nend fin\n"))
	require.NoError(t, err)
	return s
}

func TestFromScenario(t *testing.T) {
	tests := []struct {
		name  string
		steps string
		want  Request
		ok    bool
	}{
		{"get", `send "GET /text HTTP/1.0\r\n\r\n"`, Request{Method: "GET", Path: "/text"}, true},
		{"get with query and headers", `send "GET /text?x=1 HTTP/1.1\r\nHost: europi\r\n\r\n"`, Request{Method: "GET", Path: "/text?x=1"}, true},
		{"post with body and type", `send "POST /json HTTP/1.0\r\nContent-Type: application/json\r\n\r\n{}"`,
			Request{Method: "POST", Path: "/json", Body: []byte("{}"), ContentType: "application/json"}, true},
		{"post without body", `send "POST /raise HTTP/1.0\r\n\r\n"`, Request{Method: "POST", Path: "/raise", Body: []byte{}}, true},
		{"lower-case method", `send "get /text HTTP/1.0\r\n\r\n"`, Request{}, false},
		{"other method", `send "PUT /text HTTP/1.0\r\n\r\n"`, Request{}, false},
		{"non-ASCII path", `send "GET /grüß HTTP/1.0\r\n\r\n"`, Request{}, false},
		{"no version", `send "GET /text\r\n\r\n"`, Request{}, false},
		{"double space", `send "GET  /text HTTP/1.0\r\n\r\n"`, Request{}, false},
		{"LF only", `send "GET /text HTTP/1.0\n\n"`, Request{}, false},
		{"no blank line", `send "POST /json HTTP/1.0\r\n"`, Request{}, false},
		{"GET with a body", `send "GET /text HTTP/1.0\r\n\r\nx"`, Request{}, false},
		{"header without colon", `send "GET /text HTTP/1.0\r\nX\r\n\r\n"`, Request{}, false},
		{"too long", `send "GET /echo HTTP/1.0\r\nX: " "a"*1020 "\r\n\r\n"`, Request{}, false},
		{"two segments", "send \"GET /te\"\nwait 10ms\nsend \"xt HTTP/1.0\\r\\n\\r\\n\"", Request{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseSteps(t, "get/x", tt.steps)
			got, ok := FromScenario(s)
			assert.Equal(t, tt.ok, ok)
			if !tt.ok {
				return
			}
			tt.want.ID, tt.want.Raw = "get/x", s.Steps[0].Data.Value()
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRequestsKeepsTheRoutesUnlessAll(t *testing.T) {
	all := []*scenario.Scenario{
		parseSteps(t, "get/text", `send "GET /text HTTP/1.0\r\n\r\n"`),
		parseSteps(t, "post/json", `send "POST /json HTTP/1.0\r\n\r\n{}"`),
		parseSteps(t, "errors/teapot", `send "GET /teapot HTTP/1.0\r\n\r\n"`),
		parseSteps(t, "methods/put", `send "PUT /text HTTP/1.0\r\n\r\n"`),
	}
	ids := func(rs []Request) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []string{"get/text", "post/json"}, ids(Requests(all, false)))
	assert.Equal(t, []string{"get/text", "post/json", "errors/teapot"}, ids(Requests(all, true)))
}

func TestEmbeddedRoutesAreRequests(t *testing.T) {
	all, err := scenario.Default()
	require.NoError(t, err)
	reqs := Requests(all, false)
	assert.GreaterOrEqual(t, len(reqs), 20, "the route scenarios a client can send")
	for _, r := range reqs {
		assert.Contains(t, []string{"GET", "POST"}, r.Method)
	}
}
