package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/dashboard"
	"github.com/europi-http/europi-http/emulator/pyrun"
	"github.com/europi-http/europi-http/internal/cdp"
	"github.com/europi-http/europi-http/internal/upstream"
)

// runE2ETimeout bounds one interpreter's end-to-end run.
const runE2ETimeout = 90 * time.Second

// TestRunHttpControlInChromium runs upstream's contrib/http_control.py,
// unmodified, under python3 and micropython: its page loads in headless
// Chromium through --listen, moving a slider changes the CV on the
// dashboard, its JSON reports the inputs set on the dashboard, and the
// dashboard's OLED shows the text the firmware draws for its address.
func TestRunHttpControlInChromium(t *testing.T) {
	root := upstream.FirmwareFromEnv(t)
	chromium, err := cdp.Find()
	if err != nil {
		t.Skip("run e2e: " + err.Error())
	}
	for _, python := range []string{"python3", "micropython"} {
		t.Run(python, func(t *testing.T) {
			if _, err := exec.LookPath(python); err != nil {
				t.Skip(python + " is not on PATH")
			}
			testHttpControl(t, root, chromium, python)
		})
	}
}

func testHttpControl(t *testing.T, root, chromium, python string) {
	ctx, cancel := context.WithTimeout(context.Background(), runE2ETimeout)
	defer cancel()
	ch := startChild(t, "main", "run", "contrib.http_control", "--firmware", root, "--python", python,
		"--listen", "127.0.0.1:0", "--dashboard", "127.0.0.1:0", "--set", "k1=40", "--set", "din=1", "--set", "ain=3.3")
	device := urlIn(t, ch.waitLine(t, "europi-http: running ", runE2ETimeout))
	dash := urlIn(t, ch.waitLine(t, "europi-http: dashboard on ", runE2ETimeout))

	// The OLED: what the firmware's centre_text draws for the address.
	want := referenceFrame(ctx, t, root, python)
	waitFor(ctx, t, "the address on the dashboard's OLED", func() bool {
		var d dashboard.DisplayReply
		getJSON(t, dash+"api/display", &d)
		return string(d.Frame) == string(want)
	})

	b, err := cdp.Launch(ctx, chromium, t.TempDir())
	require.NoError(t, err)
	defer b.Close()
	page, err := b.NewPage(ctx, 900, 640)
	require.NoError(t, err)
	require.NoError(t, page.Navigate(ctx, device))
	require.NoError(t, page.WaitFor(ctx, `document.getElementById("cv3") !== null`), "the device page loads")

	// Clicking CV3's slider three quarters along posts its value.
	box, err := page.Box(ctx, "#cv3")
	require.NoError(t, err)
	require.NoError(t, page.Click(ctx, box.X+0.75*box.Width, box.Y+box.Height/2))
	waitFor(ctx, t, "CV3 on the dashboard", func() bool {
		var st emulator.IOState
		getJSON(t, dash+"api/state", &st)
		return st.Outputs[2].Volts > 5
	})

	// The relay fed the dashboard's request log, raw bytes and all.
	// (a connection is logged once it has ended, a moment after the CV moved).
	var postID uint64
	waitFor(ctx, t, "a POST in the request log", func() bool {
		var log struct{ Entries []dashboard.LogEntry }
		getJSON(t, dash+"api/log", &log)
		for _, e := range log.Entries {
			if e.Method == "POST" && e.Status == 200 {
				postID = e.ID
			}
		}
		return postID != 0
	})
	var detail dashboard.LogDetail
	getJSON(t, dash+"api/log/"+strconv.FormatUint(postID, 10), &detail)
	assert.Contains(t, string(detail.RequestBytes), `"cv3":`)
	assert.True(t, strings.HasPrefix(string(detail.ResponseBytes), "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n"), "%q", detail.ResponseBytes)

	// The script's JSON reports the inputs set on the dashboard.
	post := func() map[string]map[string]float64 {
		var text string
		require.NoError(t, page.Eval(ctx, `(() => { const x = new XMLHttpRequest(); x.open("POST", document.URL, false);
			x.send(JSON.stringify({cv1: 2.5})); return x.responseText; })()`, &text))
		var answer map[string]map[string]float64
		require.NoError(t, json.Unmarshal([]byte(text), &answer), text)
		return answer
	}
	answer := post()
	assert.InDelta(t, 0.4, answer["inputs"]["k1"], 0.01, "k1 (the firmware's knob deadzone shifts it a little)")
	assert.InDelta(t, 3.3, answer["inputs"]["ain"], 0.05)
	assert.Equal(t, 1.0, answer["inputs"]["din"])
	assert.Equal(t, 0.0, answer["inputs"]["b1"])
	resp, err := http.Post(dash+"api/inputs", "application/json", strings.NewReader(`{"b1": 1}`))
	require.NoError(t, err)
	_ = resp.Body.Close()
	// The press reaches the interpreter through the panel's channel, a
	// moment after the API has answered.
	waitFor(ctx, t, "b1 pressed on the dashboard in the script's JSON", func() bool { return post()["inputs"]["b1"] == 1 })
	assert.InDelta(t, 2.5, answer["outputs"]["cv1"], 0.3)

	if dir := os.Getenv("EUROPI_E2E_ARTIFACTS"); dir != "" {
		shot, err := b.NewPage(ctx, 1200, 840)
		require.NoError(t, err)
		require.NoError(t, shot.Navigate(ctx, dash))
		require.NoError(t, shot.WaitFor(ctx, `document.getElementById("live").classList.contains("on")`))
		png, err := shot.Screenshot(ctx)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "run-http_control-"+python+".png"), png, 0o644))
	}
}

// referenceFrame runs the firmware's centre_text with http_control's
// connected text under python and returns the frame it shows.
func referenceFrame(ctx context.Context, t *testing.T, root, python string) []byte {
	t.Helper()
	r, err := pyrun.New(pyrun.Config{Firmware: root, Script: filepath.Join(runTestdata, "scripts", "oled_text.py"),
		Python: python, Logger: log.New(io.Discard, "", 0)})
	require.NoError(t, err)
	defer r.Close()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = r.Run(runCtx) }()
	defer func() { stop(); <-done }()
	for {
		changed := r.IO().Changed()
		if r.IO().Snapshot().Outputs[5].Duty == 12345 { // the script's "drawn"
			return r.IO().Display().Frame()
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("the reference text never showed: %v", ctx.Err())
		}
	}
}

var urlPattern = regexp.MustCompile(`http://[^ /]+/`)

func urlIn(t *testing.T, line string) string {
	t.Helper()
	u := urlPattern.FindString(line)
	require.NotEmpty(t, u, "no URL in %q", line)
	return u
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

// waitFor polls cond until it holds or ctx ends: the dashboard's API is
// read over HTTP, so there is nothing to wait on but the answer.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("no %s: %v", what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
