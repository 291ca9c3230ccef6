package clients

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/europi-http/europi-http/internal/cdp"
)

// EnvChromium names an environment variable that, when set, is the
// browser to run.
const EnvChromium = cdp.EnvBrowser

// chromiumNames are the browser commands looked for, Debian's first.
var chromiumNames = cdp.Candidates

// chromiumClient is headless Chromium, started once and driven over
// DevTools: each request is a navigation in one tab, a POST one whose
// method and body DevTools' Fetch domain sets on the way out.
type chromiumClient struct {
	path    string
	browser *cdp.Browser
	profile string
	conn    *cdp.Conn
	session string
}

func (*chromiumClient) Name() string { return "chromium" }

// Start launches the browser on a fresh profile and opens a tab. The
// browser is driven over a pipe, not a DevTools port, and keeps its
// sandbox unless it cannot run with it (see cdp.Launch).
func (c *chromiumClient) Start(ctx context.Context) (string, error) {
	path := c.path
	if path == "" {
		path = os.Getenv(EnvChromium)
	}
	bin, err := lookPath(path, chromiumNames...)
	if err != nil {
		return "", fmt.Errorf("no Chromium (tried %s; set %s): %w", strings.Join(chromiumNames, ", "), EnvChromium, err)
	}
	if c.profile, err = os.MkdirTemp("", "europi-clients-chromium-"); err != nil {
		return "", err
	}
	if err := writePrefs(c.profile); err != nil {
		c.Close()
		return "", err
	}
	if c.browser, err = cdp.Launch(ctx, bin, c.profile); err != nil {
		c.Close()
		return "", err
	}
	c.conn = c.browser.Conn
	if err := c.openTab(ctx); err != nil {
		c.Close()
		return "", err
	}
	return strings.Replace(c.browser.Product, "/", " ", 1), nil
}

// openTab creates the tab every navigation runs in and turns on the
// events they are read from.
func (c *chromiumClient) openTab(ctx context.Context) error {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.conn.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.conn.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return err
	}
	c.session = attached.SessionID
	for _, m := range []string{"Network.enable", "Page.enable"} {
		if err := c.conn.Call(ctx, c.session, m, struct{}{}, nil); err != nil {
			return err
		}
	}
	// Every request stops on its way out: the navigation's own goes on
	// (a POST with its method and body set), any other (the favicon) is
	// failed, so the device sees one connection per navigation.
	patterns := []map[string]any{{"urlPattern": "*", "requestStage": "Request"}}
	if err := c.conn.Call(ctx, c.session, "Fetch.enable", map[string]any{"patterns": patterns}, nil); err != nil {
		return err
	}
	// The browser's cache would answer a repeated URL itself.
	return c.conn.Call(ctx, c.session, "Network.setCacheDisabled", map[string]any{"cacheDisabled": true}, nil)
}

// Close kills the browser's process group, waits for it and removes its
// profile.
func (c *chromiumClient) Close() {
	if c.browser != nil {
		c.browser.Close()
		c.browser, c.conn = nil, nil
	}
	if c.profile != "" {
		_ = os.RemoveAll(c.profile)
		c.profile = ""
	}
}

// prefs is the profile's Preferences file: no network prediction, so the
// browser opens no connection it does not use (a device serving one
// connection at a time would wait on it).
const prefs = `{"net": {"network_prediction_options": 2}}`

// writePrefs puts prefs in a fresh profile.
func writePrefs(profile string) error {
	dir := filepath.Join(profile, "Default")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Preferences"), []byte(prefs), 0o600)
}
