package recorder

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a relay goroutine or a fake server
// outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
