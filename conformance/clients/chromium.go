package clients

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/europi-http/europi-http/internal/cdp"
)

// EnvChromium names an environment variable that, when set, is the
// browser to run.
const EnvChromium = "EUROPI_CHROMIUM"

// chromiumNames are the browser commands looked for, Debian's first.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}

// chromiumFlags keep the browser headless, sandbox-free (CI runs as root)
// and off the network on its own account.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--disable-extensions", "--mute-audio",
	"--remote-allow-origins=" + cdp.Origin, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
}

// chromiumClient is headless Chromium, started once and driven over
// DevTools: each request is a navigation in one tab, a POST one whose
// method and body DevTools' Fetch domain sets on the way out.
type chromiumClient struct {
	path    string
	cmd     *exec.Cmd
	exited  chan struct{}
	profile string
	conn    *cdp.Conn
	session string
}

func (*chromiumClient) Name() string { return "chromium" }

// Start launches the browser on a fresh profile and opens a tab.
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
	args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+c.profile, "about:blank")
	c.cmd = exec.Command(bin, args...)
	// Its own process group, so Close ends the helpers it forks too.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		c.Close()
		return "", err
	}
	if err := c.cmd.Start(); err != nil {
		c.cmd = nil
		c.Close()
		return "", fmt.Errorf("starting %s: %w", bin, err)
	}
	c.exited = make(chan struct{})
	urls := make(chan string, 1)
	go func() {
		// Read everything, so the browser never blocks on a full pipe.
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "DevTools listening on "); ok {
				select {
				case urls <- strings.TrimSpace(u):
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	var url string
	select {
	case url = <-urls:
	case <-c.exited:
		c.Close()
		return "", fmt.Errorf("%s exited before DevTools listened", bin)
	case <-ctx.Done():
		c.Close()
		return "", fmt.Errorf("%s did not start DevTools: %w", bin, ctx.Err())
	}
	if c.conn, err = cdp.Dial(ctx, url); err != nil {
		c.Close()
		return "", err
	}
	var version struct {
		Product string `json:"product"`
	}
	if err := c.conn.Call(ctx, "", "Browser.getVersion", struct{}{}, &version); err != nil {
		c.Close()
		return "", err
	}
	if err := c.openTab(ctx); err != nil {
		c.Close()
		return "", err
	}
	return strings.Replace(version.Product, "/", " ", 1), nil
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
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn = nil
	}
	if c.cmd != nil && c.cmd.Process != nil && c.exited != nil {
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.exited
		// Helpers die with the group a moment later; the profile goes once
		// they have.
		for i := 0; i < 200 && syscall.Kill(-c.cmd.Process.Pid, 0) == nil; i++ {
			t := time.NewTimer(10 * time.Millisecond)
			<-t.C
		}
		c.cmd = nil
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
