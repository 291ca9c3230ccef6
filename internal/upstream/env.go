package upstream

import (
	"os"
)

// FirmwareEnv is the environment variable that names a EuroPi checkout for
// the tests that run upstream's code.
const FirmwareEnv = "EUROPI_FIRMWARE"

// Skipper is the part of testing.TB that FirmwareFromEnv uses. It is an
// interface of its own so that this package, which the europi-http binary
// links, does not import testing.
type Skipper interface {
	// Helper marks the caller as a test helper.
	Helper()
	// Skip ends the test, saying why.
	Skip(args ...any)
}

// FirmwareFromEnv returns the root of the EuroPi checkout named by
// $EUROPI_FIRMWARE (its root or its software/firmware folder), or skips
// the test with a one-line reason when the variable is unset or does not
// name a checkout with software/firmware/experimental/http_server.py.
func FirmwareFromEnv(t Skipper) string {
	t.Helper()
	root := os.Getenv(FirmwareEnv)
	if root == "" {
		t.Skip(FirmwareEnv + " is not set; set it to a EuroPi checkout to run against upstream's http_server.py")
	}
	root, err := CheckoutRoot(root)
	if err != nil {
		t.Skip(FirmwareEnv + " does not name a usable EuroPi checkout: " + err.Error())
	}
	return root
}
