package procgroup

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine waiting for a
// child behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
