package clients

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultTimeout bounds one client's exchange.
const DefaultTimeout = 5 * time.Second

// maxBody caps the body a client's answer is kept with.
const maxBody = 1 << 20

// Client is a real HTTP client the report runs.
type Client interface {
	// Name is the client's short name: go, curl, urllib, chromium.
	Name() string
	// Start prepares the client (finds its program, starts a browser)
	// and returns what it is, such as "curl 7.88.1". An error means it
	// cannot run here; the report says so.
	Start(ctx context.Context) (string, error)
	// Do sends r to addr (HOST:PORT) and returns what the client made of
	// the answer, within timeout.
	Do(ctx context.Context, addr string, r Request, timeout time.Duration) Outcome
	// Close releases what Start took.
	Close()
}

// Names are the clients the report knows, in its column order.
var Names = []string{"go", "curl", "urllib", "chromium"}

// Config says where the command-line clients are; "" finds them on PATH.
type Config struct {
	// Curl is the curl program.
	Curl string
	// Python is the Python 3 interpreter urllib runs in.
	Python string
	// Chromium is the browser; "" tries $EUROPI_CHROMIUM, then chromium,
	// chromium-browser, google-chrome-stable and google-chrome.
	Chromium string
}

// New returns the named clients, in the order given. An unknown name is an
// error that lists the known ones.
func New(names []string, cfg Config) ([]Client, error) {
	var out []Client
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if seen[n] {
			continue
		}
		seen[n] = true
		switch n {
		case "go":
			out = append(out, &goClient{})
		case "curl":
			out = append(out, &curlClient{path: cfg.Curl})
		case "urllib":
			out = append(out, &urllibClient{python: cfg.Python})
		case "chromium":
			out = append(out, &chromiumClient{path: cfg.Chromium})
		default:
			return nil, fmt.Errorf("unknown client %q; want one of %s", n, strings.Join(Names, ", "))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no client named; want some of %s", strings.Join(Names, ", "))
	}
	return out, nil
}

// CheckNames reports the first name New would refuse.
func CheckNames(names []string) error {
	for _, n := range names {
		if !slices.Contains(Names, strings.TrimSpace(n)) {
			return fmt.Errorf("unknown client %q; want one of %s", n, strings.Join(Names, ", "))
		}
	}
	if len(names) == 0 {
		return fmt.Errorf("no client named; want some of %s", strings.Join(Names, ", "))
	}
	return nil
}
