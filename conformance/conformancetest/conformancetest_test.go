package conformancetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/internal/testnet"
)

// okText is the fixture's answer to GET /text.
const okText = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nplain text from EuroPi\n"

// textScenario expects okText.
const textScenario = "[scenario]\ndescription \"d\"\nrule routes \"r\"\n[steps]\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n" +
	"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"plain text from EuroPi\\n\"\nend fin\n"

func TestRunSuiteAgainstAFakeTarget(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(okText))
	calls := 0
	var scenarios []*scenario.Scenario
	for _, s := range []struct{ id, text string }{
		{"get/text", textScenario},
		{"get/text-again", textScenario},
		{"other/skipped", textScenario + "[device]\nescapes 1\n"},
	} {
		parsed, err := scenario.Parse(s.id, []byte(s.text))
		require.NoError(t, err)
		scenarios = append(scenarios, parsed)
	}
	conformancetest.Run(t, func(t *testing.T) conformance.Target {
		calls++
		return conformance.Target{Name: "fake", Addr: addr}
	}, conformancetest.WithScenarios(scenarios), conformancetest.WithPattern("^(get|other)/"),
		conformancetest.WithTimeout(scenario.DefaultTimeout), conformancetest.WithRetry(conformance.RetryPolicy{}))
	assert.Equal(t, 1, calls, "the factory runs once for the suite")
}
