package clients

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"
)

// goClient is Go's net/http, without keep-alives (the device closes after
// every answer anyway).
type goClient struct{}

func (*goClient) Name() string { return "go" }

func (*goClient) Start(context.Context) (string, error) { return "net/http " + runtime.Version(), nil }

func (*goClient) Close() {}

func (*goClient) Do(ctx context.Context, addr string, r Request, timeout time.Duration) (o Outcome) {
	o = Outcome{Client: "go"}
	start := time.Now()
	defer func() { o.Duration = time.Since(start) }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if r.Method == "POST" {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, "http://"+addr+r.Path, body)
	if err != nil {
		o.Verdict, o.Error, o.Reason = VerdictFailed, err.Error(), err.Error()
		return o
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		o.Verdict, o.Error, o.Reason = goVerdict(err)
		return o
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	o.Verdict, o.Status, o.Body = VerdictOK, resp.StatusCode, data
	for _, name := range slices.Sorted(maps.Keys(resp.Header)) {
		for _, v := range resp.Header[name] {
			o.Kept = append(o.Kept, Header{Name: name, Value: v})
		}
	}
	if err != nil {
		o.Verdict, o.Error, o.Reason = VerdictFailed, err.Error(), "body: "+err.Error()
	}
	return o
}

// goVerdict classifies a net/http error: a response it could not parse is
// refused, anything else failed. The reason drops the URL and the
// transport's preamble.
func goVerdict(err error) (Verdict, string, string) {
	full := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	reason := err.Error()
	if i := strings.LastIndex(reason, "connection broken: "); i >= 0 {
		reason = reason[i+len("connection broken: "):]
	}
	if strings.Contains(reason, "malformed") {
		if i := strings.Index(reason, "malformed MIME header"); i >= 0 {
			reason = "malformed MIME header"
		}
		return VerdictRefused, full, reason
	}
	return VerdictFailed, full, reason
}
