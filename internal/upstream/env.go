package upstream

import (
	"os"
	"testing"
)

// FirmwareEnv is the environment variable that names a EuroPi checkout for
// the tests that run upstream's code.
const FirmwareEnv = "EUROPI_FIRMWARE"

// FirmwareFromEnv returns the EuroPi checkout named by $EUROPI_FIRMWARE, or
// skips the test with a one-line reason when the variable is unset or does
// not name a checkout with software/firmware/experimental/http_server.py.
func FirmwareFromEnv(t testing.TB) string {
	t.Helper()
	root := os.Getenv(FirmwareEnv)
	if root == "" {
		t.Skip(FirmwareEnv + " is not set; set it to a EuroPi checkout to run against upstream's http_server.py")
	}
	if _, err := firmwareDir(root); err != nil {
		t.Skip(FirmwareEnv + " does not name a usable EuroPi checkout: " + err.Error())
	}
	return root
}
