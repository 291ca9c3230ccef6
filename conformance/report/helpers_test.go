package report

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// textScenario expects the fixture's GET /text answer.
const textScenario = "[scenario]\ndescription \"d\"\nrule routes \"r\"\n[steps]\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n" +
	"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"plain text from EuroPi\\n\"\nend fin\n"

// mustParse parses scenario text or fails the test.
func mustParse(t *testing.T, id, text string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse(id, []byte(text))
	require.NoError(t, err)
	return s
}
