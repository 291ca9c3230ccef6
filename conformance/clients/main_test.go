package clients

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a fake device, a DevTools reader
// or a client's process watcher outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
