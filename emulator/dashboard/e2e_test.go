package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/cdp"
)

// envArtifacts names a folder for the end-to-end test's screenshots.
const envArtifacts = "EUROPI_E2E_ARTIFACTS"

// e2eTimeout bounds the whole browser test; it takes a few seconds.
const e2eTimeout = 60 * time.Second

// The page sizes the screenshots are taken at.
const (
	dashWidth, dashHeight     = 1200, 840
	deviceWidth, deviceHeight = 900, 640
)

// TestEndToEnd drives Debian's Chromium: it moves a slider on the default
// http_control page and follows the POST to the script, the emulated CV
// and the dashboard, whose OLED must show the frame the script drew; then it holds b1 on the dashboard of the status
// example and reads it back from the device page.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped with -short (it starts Chromium)")
	}
	path, err := cdp.Find()
	if err != nil {
		t.Skip("e2e: " + err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	artifacts := artifactDir(t)
	profileDir := t.TempDir() // removed after the browser is closed below
	b, err := cdp.Launch(ctx, path, profileDir)
	require.NoError(t, err)
	defer b.Close()
	defer func() {
		if t.Failed() {
			t.Logf("e2e: the browser's last output:\n%s", b.Output())
		}
	}()

	t.Run("slider on the device page", func(t *testing.T) { testSlider(ctx, t, b, artifacts) })
	t.Run("b1 on the dashboard", func(t *testing.T) { testButton(ctx, t, b, artifacts) })
	t.Run("a failed reload", func(t *testing.T) { testFailedReload(ctx, t, b) })
}

// A broken edit of a watched script shows its error as soon as it is
// saved, and the device link and address stay, also on a page opened
// after the failure.
func testFailedReload(ctx context.Context, t *testing.T, b *cdp.Browser) {
	script := filepath.Join(t.TempDir(), "app.star")
	require.NoError(t, os.WriteFile(script, []byte(goodScript), 0o644))
	r := newRig(t, emulator.Config{ScriptPath: script, Watch: true}, nil)
	open := openDashboard(ctx, t, b, r)
	device := jsString("http://" + r.device + "/")
	linkShown := `document.querySelector("#device a") !== null && document.querySelector("#device a").href === ` + device +
		` && !document.getElementById("device-link").hidden && document.getElementById("device-link").href === ` + device
	require.NoError(t, open.WaitFor(ctx, linkShown), "the device link before the edit")

	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer(\n"), 0o644))
	failed := `document.querySelector("#reload pre.error") !== null`
	require.NoError(t, open.WaitFor(ctx, failed), "the reload error, with no request sent")
	require.NoError(t, open.WaitFor(ctx, linkShown), "the device link after the failed reload")

	later := openDashboard(ctx, t, b, r)
	require.NoError(t, later.WaitFor(ctx, failed), "the reload error on a page opened after it")
	var shown string
	require.NoError(t, later.Eval(ctx, `document.getElementById("reload").textContent`, &shown))
	assert.Contains(t, shown, "last reload failed")
	assert.Contains(t, shown, script+":2:1:")
	require.NoError(t, later.WaitFor(ctx, linkShown), "the device link and address on a page opened after the failure")
}

func testSlider(ctx context.Context, t *testing.T, b *cdp.Browser, artifacts string) {
	r := newRig(t, emulator.Config{}, nil) // the default http_control
	// Turn some inputs through the control API, as --set and the page do.
	code, body := r.do("POST", "api/inputs", "application/json", `{"k1": 40, "k2": 75, "ain": 3.3, "din": 1}`)
	require.Equal(t, 200, code, string(body))
	dash := openDashboard(ctx, t, b, r)
	device, err := b.NewPage(ctx, deviceWidth, deviceHeight)
	require.NoError(t, err)
	require.NoError(t, device.Navigate(ctx, "http://"+r.device+"/"))
	require.NoError(t, device.Activate(ctx))

	// Click CV3's slider three quarters along its track.
	box, err := device.Box(ctx, "#cv3")
	require.NoError(t, err)
	require.NoError(t, device.Click(ctx, box.X+0.75*box.Width, box.Y+box.Height/2))
	var slider string
	require.NoError(t, device.Eval(ctx, `document.getElementById("cv3").value`, &slider))
	sent := mustFloat(t, slider)
	assert.InDelta(t, 7.5, sent, 1.0, "the click moved the slider")

	// The page shows the script's answer.
	require.NoError(t, device.WaitFor(ctx, `document.getElementById("state").textContent.startsWith("{")`))
	var answerText string
	require.NoError(t, device.Eval(ctx, `document.getElementById("state").textContent`, &answerText))
	var answer struct {
		Inputs  map[string]float64
		Outputs map[string]float64
	}
	require.NoError(t, json.Unmarshal([]byte(answerText), &answer), answerText)
	assert.Equal(t, map[string]float64{"ain": 3.3, "din": 1, "k1": 0.4, "k2": 0.75, "b1": 0, "b2": 0}, answer.Inputs)
	volts := answer.Outputs["cv3"]
	assert.InDelta(t, sent, volts, 0.5, "the script set CV3 near the slider's value")

	// The POST reached the script with the slider's value ...
	post := findPost(t, r)
	assert.Equal(t, 200, post.Status)
	assert.Contains(t, string(post.RequestBytes), `"cv3":`+slider)
	// ... the CV changed in the emulator ...
	assert.Equal(t, volts, r.emu.IO().Snapshot().Outputs[2].Volts)
	// ... and the dashboard shows the new voltage and the request, live.
	want := fmt.Sprintf("%.3f V", volts)
	require.NoError(t, dash.WaitFor(ctx, `document.getElementById("cv3-volts").textContent === `+jsString(want)),
		"the dashboard shows %s for CV3", want)
	require.NoError(t, dash.WaitFor(ctx, `[...document.querySelectorAll("#log tr")].some(tr => tr.cells[2].textContent === "POST")`))
	// ... and its OLED, where the script drew the outputs, pixel for pixel.
	var display DisplayReply
	r.getJSON("api/display", &display)
	assert.Equal(t, uint64(2), display.Version, "the script drew at load and after the POST")
	want = strings.Join(display.Rows, "\n")
	assert.NotEqual(t, strings.Repeat("0", len(want)), want, "the frame is not blank")
	waitCtx, cancelWait := context.WithTimeout(ctx, 15*time.Second)
	defer cancelWait()
	if err := dash.WaitFor(waitCtx, canvasRows+` === `+jsString(want)); err != nil {
		var shown string
		require.NoError(t, dash.Eval(ctx, canvasRows, &shown))
		t.Fatalf("the dashboard's OLED never showed the frame of /api/display:\nwant\n%s\nshown\n%s", want, shown)
	}

	// Open the POST's bytes, as a person would, for the screenshot.
	rx, ry := mustBox(ctx, t, dash, fmt.Sprintf(`#log tr[data-id="%d"]`, post.ID)).Center()
	require.NoError(t, dash.Click(ctx, rx, ry))
	require.NoError(t, dash.WaitFor(ctx, `document.getElementById("detail-request").textContent.includes('"cv3":')`))
	require.NoError(t, dash.Eval(ctx, `window.scrollTo(0, 0)`, nil))
	screenshot(ctx, t, dash, artifacts, "dashboard.png")
	screenshot(ctx, t, device, artifacts, "device-http_control.png")
}

func testButton(ctx context.Context, t *testing.T, b *cdp.Browser, artifacts string) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	dash := openDashboard(ctx, t, b, r)
	device, err := b.NewPage(ctx, deviceWidth, deviceHeight)
	require.NoError(t, err)
	readDevice := func() emulator.InputState {
		t.Helper()
		require.NoError(t, device.Navigate(ctx, "http://"+r.device+"/"))
		var text string
		require.NoError(t, device.Eval(ctx, `(document.querySelector("pre") || document.body).textContent`, &text))
		var panel struct{ Inputs emulator.InputState }
		require.NoError(t, json.Unmarshal([]byte(text), &panel), text)
		return panel.Inputs
	}
	require.Equal(t, 0, readDevice().B1)

	// Press b1 and hold it.
	x, y := mustBox(ctx, t, dash, "#b1").Center()
	require.NoError(t, dash.Mouse(ctx, "mouseMoved", x, y))
	require.NoError(t, dash.Mouse(ctx, "mousePressed", x, y))
	waitInputs(ctx, t, r, func(in emulator.InputState) bool { return in.B1 == 1 })
	require.NoError(t, dash.WaitFor(ctx, `document.getElementById("b1").getAttribute("aria-pressed") === "true"`))
	assert.Equal(t, 1, readDevice().B1, "the status script reports b1 held")
	screenshot(ctx, t, dash, artifacts, "dashboard-b1-held.png")
	screenshot(ctx, t, device, artifacts, "device-status.png")

	// Let go: the button is up again.
	require.NoError(t, dash.Mouse(ctx, "mouseReleased", x, y))
	waitInputs(ctx, t, r, func(in emulator.InputState) bool { return in.B1 == 0 })
	assert.Equal(t, 0, readDevice().B1, "the status script reports b1 released")
}

// canvasRows reads the dashboard's OLED canvas back as /api/display's rows
// joined by newlines: a pixel brighter than half is lit.
const canvasRows = `(() => {
  const c = document.getElementById("oled");
  const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  const rows = [];
  for (let y = 0; y < c.height; y++) {
    let row = "";
    for (let x = 0; x < c.width; x += 4) {
      let digit = 0;
      for (let k = 0; k < 4; k++) digit = digit << 1 | (px[(y * c.width + x + k) * 4] > 128 ? 1 : 0);
      row += digit.toString(16);
    }
    rows.push(row);
  }
  return rows.join("\n");
})()`

// openDashboard opens r's dashboard in a new tab and waits for its event
// stream.
func openDashboard(ctx context.Context, t *testing.T, b *cdp.Browser, r *rig) *cdp.Page {
	t.Helper()
	page, err := b.NewPage(ctx, dashWidth, dashHeight)
	require.NoError(t, err)
	require.NoError(t, page.Navigate(ctx, r.base))
	require.NoError(t, page.WaitFor(ctx, `document.getElementById("live").classList.contains("on")`), "the dashboard's events connect")
	return page
}

// findPost returns the log's first POST with its bytes.
func findPost(t *testing.T, r *rig) LogDetail {
	t.Helper()
	deadline := time.Now().Add(exchangeTimeout)
	for {
		changed := r.dash.log.waitChan()
		for _, e := range r.dash.log.after(0) {
			if e.Method == "POST" {
				d, ok := r.dash.log.get(e.ID)
				require.True(t, ok)
				return d
			}
		}
		select {
		case <-changed:
		case <-time.After(time.Until(deadline)):
			t.Fatal("no POST reached the device")
		}
	}
}

// waitInputs waits until the emulator's inputs satisfy ok.
func waitInputs(ctx context.Context, t *testing.T, r *rig, ok func(emulator.InputState) bool) {
	t.Helper()
	io := r.emu.IO()
	for {
		changed := io.Changed()
		st := io.Snapshot()
		if ok(st.Inputs) {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("the inputs never got there: %+v", st.Inputs)
		}
	}
}

func mustBox(ctx context.Context, t *testing.T, p *cdp.Page, selector string) cdp.Rect {
	t.Helper()
	box, err := p.Box(ctx, selector)
	require.NoError(t, err)
	return box
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	require.NoError(t, json.Unmarshal([]byte(s), &v), "%q is not a number", s)
	return v
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// screenshot saves the page as name in dir.
func screenshot(ctx context.Context, t *testing.T, p *cdp.Page, dir, name string) {
	t.Helper()
	png, err := p.Screenshot(ctx)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}

// artifactDir returns the folder for screenshots, named in the log: $EUROPI_E2E_ARTIFACTS,
// or europi-dashboard-e2e under the system's temp folder. It is kept after
// the test, for a person to look at, and each run overwrites the last
// one's files instead of piling up folders.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(envArtifacts)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "europi-dashboard-e2e")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	t.Logf("e2e: screenshots in %s", dir)
	return dir
}
