package scenariotest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// MustParse parses scenario text as the scenario called id, or fails t at
// once.
func MustParse(t testing.TB, id, text string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse(id, []byte(text))
	require.NoError(t, err)
	return s
}

// Lines joins scenario lines, each ended with LF, so that a test's input
// reads as the file would.
func Lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// Minimal is a valid scenario header and one step, without an expect
// section, for tests that only vary the expect sections.
const Minimal = "[scenario]\n" +
	`description "d"` + "\n" +
	`rule routes "r"` + "\n" +
	"\n" +
	"[steps]\n" +
	`send "GET /text HTTP/1.0\r\n\r\n"` + "\n"

// TextScenario sends GET /text and expects the fixture's answer: its
// status line and body, then a FIN.
const TextScenario = "[scenario]\ndescription \"d\"\nrule routes \"r\"\n[steps]\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n" +
	"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"plain text from EuroPi\\n\"\nend fin\n"

// TextAnswer is the fixture's answer to GET /text, byte for byte: what a
// fake target sends to pass TextScenario.
const TextAnswer = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nplain text from EuroPi\n"
