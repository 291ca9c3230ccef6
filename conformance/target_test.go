package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTargetCheck(t *testing.T) {
	assert.NoError(t, Target{Name: "a", Addr: "127.0.0.1:80", Labels: []string{"pico-w"}}.Check())
	assert.ErrorContains(t, Target{Addr: "127.0.0.1:80"}.Check(), "no name")
	assert.ErrorContains(t, Target{Name: "a", Addr: "127.0.0.1"}.Check(), "missing port")
	assert.ErrorContains(t, Target{Name: "a", Addr: "h:1", Labels: []string{"Pico W"}}.Check(), "bad label")
}
