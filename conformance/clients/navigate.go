package clients

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/europi-http/europi-http/internal/cdp"
)

// cdpResponse is the part of Network.Response the report uses.
type cdpResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
}

// Do navigates the tab to the request's URL and reads what the browser
// made of the answer from the network events and the response body.
func (c *chromiumClient) Do(ctx context.Context, addr string, r Request, timeout time.Duration) (o Outcome) {
	o = Outcome{Client: "chromium"}
	start := time.Now()
	defer func() { o.Duration = time.Since(start) }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fail := func(v Verdict, err error) Outcome {
		o.Verdict, o.Error, o.Reason = v, err.Error(), err.Error()
		return o
	}
	if c.conn == nil {
		return fail(VerdictFailed, errors.New("the browser is not running"))
	}
	c.drain()
	url := "http://" + addr + r.Path
	navErr := make(chan error, 1)
	go func() {
		var nav struct {
			ErrorText string `json:"errorText"`
		}
		err := c.conn.Call(ctx, c.session, "Page.navigate", map[string]any{"url": url}, &nav)
		if err == nil && nav.ErrorText != "" {
			err = errors.New(nav.ErrorText)
		}
		navErr <- err
	}()
	res, err := c.follow(ctx, url, r)
	if nerr := <-navErr; err == nil && nerr != nil && res.resp == nil {
		err = nerr
	}
	if err != nil {
		if strings.HasPrefix(err.Error(), "net::ERR_INVALID_HTTP_RESPONSE") || strings.HasPrefix(err.Error(), "net::ERR_RESPONSE_HEADERS") {
			return fail(VerdictRefused, err)
		}
		return fail(VerdictFailed, err)
	}
	o.Verdict, o.Status = VerdictOK, res.resp.Status
	for _, name := range slices.Sorted(maps.Keys(res.resp.Headers)) {
		// Chromium joins repeated headers with a line feed.
		for _, v := range strings.Split(res.resp.Headers[name], "\n") {
			o.Kept = append(o.Kept, Header{Name: name, Value: v})
		}
	}
	if res.download {
		o.Download = true
		return o
	}
	var body struct {
		Body          string `json:"body"`
		Base64Encoded bool   `json:"base64Encoded"`
	}
	if err := c.conn.Call(ctx, c.session, "Network.getResponseBody", map[string]any{"requestId": res.id}, &body); err != nil {
		return fail(VerdictFailed, fmt.Errorf("reading the body: %w", err))
	}
	o.Body = []byte(body.Body)
	if body.Base64Encoded {
		if o.Body, err = base64.StdEncoding.DecodeString(body.Body); err != nil {
			return fail(VerdictFailed, fmt.Errorf("reading the body: %w", err))
		}
	}
	var page struct {
		Result struct {
			Value struct {
				Charset string `json:"charset"`
				Text    string `json:"text"`
			} `json:"value"`
		} `json:"result"`
	}
	const shown = `({charset: document.characterSet, text: (document.body || document.documentElement).innerText})`
	if err := c.conn.Call(ctx, c.session, "Runtime.evaluate", map[string]any{"expression": shown, "returnByValue": true}, &page); err != nil {
		return fail(VerdictFailed, fmt.Errorf("reading the page: %w", err))
	}
	o.Charset, o.Shown = strings.ToLower(page.Result.Value.Charset), page.Result.Value.Text
	return o
}

// followed is the navigation's main request as the events told it.
type followed struct {
	id     string
	resp   *cdpResponse
	paused bool // the navigation's request went on
	// finished and loaded: the document's bytes have all come, and the
	// page has been built from them.
	finished, loaded bool
	// download: the browser saved the answer instead of showing it.
	download bool
}

// follow reads events until the navigation's document request has
// finished (and its page loaded) or failed. The navigation's request goes
// on, a POST with its method and body set; any other request the page
// makes (the favicon) is failed, so the device sees one connection per
// navigation.
func (c *chromiumClient) follow(ctx context.Context, url string, r Request) (followed, error) {
	var f followed
	for {
		var ev cdp.Event
		select {
		case ev = <-c.conn.Events():
		case <-ctx.Done():
			return f, fmt.Errorf("no answer within the timeout: %w", ctx.Err())
		case <-c.conn.Done():
			return f, errors.New("the browser went away")
		}
		if ev.Session != c.session {
			continue
		}
		var p struct {
			RequestID string               `json:"requestId"`
			Type      string               `json:"type"`
			Request   struct{ URL string } `json:"request"`
			Response  *cdpResponse         `json:"response"`
			ErrorText string               `json:"errorText"`
		}
		if err := json.Unmarshal(ev.Params, &p); err != nil {
			return f, fmt.Errorf("devtools: %s: %w", ev.Method, err)
		}
		switch ev.Method {
		case "Fetch.requestPaused":
			if p.Request.URL != url || f.paused {
				err := c.conn.Call(ctx, c.session, "Fetch.failRequest", map[string]any{"requestId": p.RequestID, "errorReason": "BlockedByClient"}, nil)
				if err != nil {
					return f, err
				}
				continue
			}
			f.paused = true
			params := map[string]any{"requestId": p.RequestID}
			if r.Method == "POST" {
				// Headers stay the browser's own: setting any would
				// replace them all.
				params["method"] = "POST"
				params["postData"] = base64.StdEncoding.EncodeToString(r.Body)
			}
			if err := c.conn.Call(ctx, c.session, "Fetch.continueRequest", params, nil); err != nil {
				return f, err
			}
		case "Network.requestWillBeSent":
			if f.id == "" && p.Type == "Document" && p.Request.URL == url {
				f.id = p.RequestID
			}
		case "Network.responseReceived":
			if p.RequestID == f.id {
				f.resp = p.Response
			}
		case "Network.loadingFinished":
			if p.RequestID == f.id && f.resp != nil {
				f.finished = true
			}
		case "Page.loadEventFired":
			f.loaded = true
		case "Network.loadingFailed":
			if p.RequestID == f.id && f.resp != nil && p.ErrorText == "net::ERR_ABORTED" {
				// The answer came and the browser turned the navigation
				// into a download (text/csv, for one) instead of a page.
				f.download = true
				return f, nil
			}
			if p.RequestID == f.id {
				return f, errors.New(p.ErrorText)
			}
		}
		if f.finished && f.loaded {
			return f, nil
		}
	}
}

// drain drops events left over from the last navigation.
func (c *chromiumClient) drain() {
	for {
		select {
		case <-c.conn.Events():
		default:
			return
		}
	}
}
