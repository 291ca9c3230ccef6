package cdp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Page is one browser tab, attached over the browser's connection.
type Page struct {
	b       *Browser
	target  string
	session string
}

// NewPage opens a blank tab of width by height CSS pixels.
func (b *Browser) NewPage(ctx context.Context, width, height int) (*Page, error) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank", "newWindow": true, "width": width, "height": height}, &created); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	p := &Page{b: b, target: created.TargetID, session: attached.SessionID}
	if err := p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
	}, nil); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Page) call(ctx context.Context, method string, params, result any) error {
	return p.b.Call(ctx, p.session, method, params, result)
}

// Navigate loads url and waits until the document has loaded.
func (p *Page) Navigate(ctx context.Context, url string) error {
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("cdp: navigating to %s: %s", url, nav.ErrorText)
	}
	want, _ := json.Marshal(url)
	cond := `document.readyState === "complete" && location.href === ` + string(want)
	for {
		// The old document may vanish under a wait begun in it; wait again
		// in the new one.
		err := p.WaitFor(ctx, cond)
		if err == nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-p.b.Done():
			return err
		default:
		}
	}
}

// exception is the part of a JavaScript exception Eval reports.
type exception struct {
	Text      string `json:"text"`
	Exception *struct {
		Description string `json:"description"`
	} `json:"exception"`
}

func (e *exception) String() string {
	if e.Exception != nil && e.Exception.Description != "" {
		return e.Exception.Description
	}
	return e.Text
}

// Eval runs a JavaScript expression in the page, awaiting it if it is a
// promise, and decodes its value (as JSON) into out, which may be nil. A
// thrown exception is an error.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var reply struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *exception `json:"exceptionDetails"`
	}
	if err := p.call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true,
	}, &reply); err != nil {
		return err
	}
	if reply.ExceptionDetails != nil {
		return fmt.Errorf("cdp: %s: %s", expr, reply.ExceptionDetails)
	}
	if out == nil || len(reply.Result.Value) == 0 {
		return nil
	}
	if err := json.Unmarshal(reply.Result.Value, out); err != nil {
		return fmt.Errorf("cdp: %s: decoding %s: %w", expr, reply.Result.Value, err)
	}
	return nil
}

// WaitFor waits until the JavaScript condition cond is true in the page,
// checking it every 20 ms, or until ctx ends. A condition that throws
// counts as false.
func (p *Page) WaitFor(ctx context.Context, cond string) error {
	// The page polls, so waiting costs one round trip; ctx bounds it, and
	// the next navigation ends a poll left behind.
	expr := `new Promise((resolve) => {
		const check = () => { let ok = false; try { ok = !!(` + cond + `); } catch (e) {} ok ? resolve(true) : setTimeout(check, 20); };
		check();
	})`
	err := p.Eval(ctx, expr, nil)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("cdp: waiting for %s: %w", cond, ctx.Err())
	}
	return err
}

// Rect is an element's box in the page's CSS pixels.
type Rect struct {
	X, Y, Width, Height float64
}

// Center returns the middle of the box.
func (r Rect) Center() (x, y float64) { return r.X + r.Width/2, r.Y + r.Height/2 }

// Box scrolls the first element matching selector into view and returns
// its box.
func (p *Page) Box(ctx context.Context, selector string) (Rect, error) {
	var r Rect
	sel, _ := json.Marshal(selector)
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) throw new Error("no element " + %s);
		el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect();
		return {X: r.x, Y: r.y, Width: r.width, Height: r.height}; })()`, sel, sel)
	err := p.Eval(ctx, expr, &r)
	return r, err
}

// Mouse sends one mouse event: "mousePressed", "mouseReleased" or
// "mouseMoved", with the left button, at x, y.
func (p *Page) Mouse(ctx context.Context, kind string, x, y float64) error {
	params := map[string]any{"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
	if kind == "mouseMoved" {
		params["button"], params["clickCount"] = "none", 0
	}
	return p.call(ctx, "Input.dispatchMouseEvent", params, nil)
}

// Click presses and releases the left button at x, y.
func (p *Page) Click(ctx context.Context, x, y float64) error {
	if err := p.Mouse(ctx, "mouseMoved", x, y); err != nil {
		return err
	}
	if err := p.Mouse(ctx, "mousePressed", x, y); err != nil {
		return err
	}
	return p.Mouse(ctx, "mouseReleased", x, y)
}

// Screenshot returns the page's viewport as PNG.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var shot struct {
		Data string `json:"data"`
	}
	if err := p.call(ctx, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return nil, fmt.Errorf("cdp: screenshot: %w", err)
	}
	return png, nil
}

// Activate brings the tab to the front, so timers and animation frames
// run at full speed in it.
func (p *Page) Activate(ctx context.Context) error {
	return p.b.Call(ctx, "", "Target.activateTarget", map[string]any{"targetId": p.target}, nil)
}
