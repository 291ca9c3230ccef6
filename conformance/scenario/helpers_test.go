package scenario

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mustParse parses scenario text or fails the test.
func mustParse(t *testing.T, id, text string) *Scenario {
	t.Helper()
	s, err := Parse(id, []byte(text))
	require.NoError(t, err)
	return s
}

// lines joins scenario lines with LF, for readable test inputs.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// minimal is a valid scenario header and step, for tests that only vary
// the expect sections.
var minimal = lines(
	"[scenario]",
	`description "d"`,
	`rule routes "r"`,
	"",
	"[steps]",
	`send "GET /text HTTP/1.0\r\n\r\n"`,
)

// textScenario expects the fixture's GET /text answer.
const textScenario = "[scenario]\ndescription \"d\"\nrule routes \"r\"\n[steps]\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n" +
	"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"plain text from EuroPi\\n\"\nend fin\n"

// describeDiff says where two byte strings first differ, with a few bytes
// of each from there.
func describeDiff(expected, actual []byte) string {
	n := min(len(expected), len(actual))
	off := n
	for i := range n {
		if expected[i] != actual[i] {
			off = i
			break
		}
	}
	return fmt.Sprintf("first difference at offset %d: expected %q, actual %q",
		off, expected[off:min(off+16, len(expected))], actual[off:min(off+16, len(actual))])
}
