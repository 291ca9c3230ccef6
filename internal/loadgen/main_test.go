package loadgen

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a run leaves a goroutine behind: a run
// must stop by itself.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
