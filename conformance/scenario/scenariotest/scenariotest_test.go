package scenariotest_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

func TestLines(t *testing.T) {
	assert.Equal(t, "a\n", scenariotest.Lines("a"))
	assert.Equal(t, "a\n\nb\n", scenariotest.Lines("a", "", "b"))
}

func TestMinimalIsAHeadForExpectSections(t *testing.T) {
	s := scenariotest.MustParse(t, "x/minimal", scenariotest.Minimal+"[expect]\nend fin\n")
	require.Len(t, s.Steps, 1)
	assert.Equal(t, "GET /text HTTP/1.0\r\n\r\n", string(s.Steps[0].Data.Value()))
	_, err := scenario.Parse("x/minimal", []byte(scenariotest.Minimal))
	assert.Error(t, err, "Minimal alone has no expect section")
}

func TestTextScenarioExpectsTextAnswer(t *testing.T) {
	s := scenariotest.MustParse(t, "get/text", scenariotest.TextScenario)
	require.Len(t, s.Sections, 1)
	var status, body string
	for _, c := range s.Sections[0].Clauses {
		switch c.Kind {
		case scenario.ClauseStatus:
			status = string(c.Bytes.Value())
		case scenario.ClauseBody:
			body = string(c.Bytes.Value())
		}
	}
	assert.Equal(t, "HTTP/1.0 200 OK\r\n", status)
	assert.Contains(t, scenariotest.TextAnswer, status)
	assert.Equal(t, "plain text from EuroPi\n", body)
	assert.Contains(t, scenariotest.TextAnswer, "\r\n\r\n"+body)
}

// MustParse fails the test it is given, at once, on text that does not
// parse.
func TestMustParseFails(t *testing.T) {
	ft := &failingT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		scenariotest.MustParse(ft, "x/bad", "[scenario]\nnope\n")
		ft.returned = true
	}()
	<-done
	assert.True(t, ft.failed)
	assert.False(t, ft.returned, "MustParse stops the test")
}

// failingT records a failure instead of failing the real test.
type failingT struct {
	testing.TB
	failed, returned bool
}

func (f *failingT) Helper()               {}
func (f *failingT) Errorf(string, ...any) { f.failed = true }
func (f *failingT) FailNow()              { f.failed = true; runtime.Goexit() }
