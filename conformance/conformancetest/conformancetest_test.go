package conformancetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/conformancetest"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

func TestRunSuiteAgainstAFakeTarget(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	calls := 0
	var scenarios []*scenario.Scenario
	for _, s := range []struct{ id, text string }{
		{"get/text", scenariotest.TextScenario},
		{"get/text-again", scenariotest.TextScenario},
		{"other/skipped", scenariotest.TextScenario + "[device]\nescapes 1\n"},
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
