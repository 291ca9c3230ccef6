package upstream

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves goroutines behind, which is
// how a Process that was not fully stopped would show.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
