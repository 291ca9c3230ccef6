package clients

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// urllibScript fetches one URL with urllib.request and prints what it made
// of the answer as JSON. http.client hands the header block to the email
// parser, which ends the headers at the first line without a colon and
// keeps the rest as the message's payload: those are the dropped lines.
// An HTTPError (status 400 and up) is an answer too.
const urllibScript = `
import base64, json, sys, urllib.error, urllib.request
url, method, ctype, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
data = sys.stdin.buffer.read() if method == "POST" else None
out = {}
try:
    req = urllib.request.Request(url, data=data, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    elif data is not None:
        req.remove_header("Content-type")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        resp = e
    msg = resp.headers
    out["status"] = resp.status if getattr(resp, "status", None) else resp.code
    out["kept"] = [[k, v] for k, v in msg.items()]
    payload = msg.get_payload()
    out["dropped"] = [l for l in payload.splitlines() if l] if isinstance(payload, str) else []
    out["body"] = base64.b64encode(resp.read()).decode()
except Exception as e:
    out["error"] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`

// urllibResult is what the script prints.
type urllibResult struct {
	Status  int        `json:"status"`
	Kept    [][]string `json:"kept"`
	Dropped []string   `json:"dropped"`
	Body    string     `json:"body"`
	Error   string     `json:"error"`
}

// urllibClient runs Python's urllib.request in a python3 process.
type urllibClient struct {
	python string
	bin    string
}

func (*urllibClient) Name() string { return "urllib" }

func (c *urllibClient) Start(ctx context.Context) (string, error) {
	bin, err := lookPath(c.python, "python3")
	if err != nil {
		return "", err
	}
	c.bin = bin
	out, errOut, code, err := runCommand(ctx, nil, bin, "-c", "import sys, urllib.request; print('Python', sys.version.split()[0])")
	if err != nil || code != 0 {
		return "", fmt.Errorf("%s: exit %d %v %s", bin, code, err, firstLine(string(errOut)))
	}
	return "urllib (" + firstLine(string(out)) + ")", nil
}

func (*urllibClient) Close() {}

func (c *urllibClient) Do(ctx context.Context, addr string, r Request, timeout time.Duration) (o Outcome) {
	o = Outcome{Client: "urllib"}
	start := time.Now()
	defer func() { o.Duration = time.Since(start) }()
	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second) // the interpreter's start on top
	defer cancel()
	stdout, stderr, code, err := runCommand(ctx, r.Body, c.bin, "-c", urllibScript,
		"http://"+addr+r.Path, r.Method, r.ContentType, strconv.FormatFloat(timeout.Seconds(), 'f', 3, 64))
	o.ExitCode = code
	if err != nil || code != 0 {
		o.Verdict, o.Error = VerdictFailed, strings.TrimSpace(fmt.Sprintf("exit %d %v %s", code, err, stderr))
		o.Reason = firstLine(o.Error)
		return o
	}
	var res urllibResult
	if err := json.Unmarshal(stdout, &res); err != nil {
		o.Verdict, o.Error, o.Reason = VerdictFailed, "bad output: "+firstLine(string(stdout)), "bad output"
		return o
	}
	if res.Error != "" {
		o.Error, o.Reason = res.Error, res.Error
		// http.client's parse errors refuse the answer; socket errors and
		// timeouts are failures.
		o.Verdict = VerdictFailed
		if strings.HasPrefix(res.Error, "BadStatusLine") || strings.HasPrefix(res.Error, "LineTooLong") ||
			strings.HasPrefix(res.Error, "HTTPException") || strings.HasPrefix(res.Error, "UnknownProtocol") {
			o.Verdict = VerdictRefused
		}
		return o
	}
	body, err := base64.StdEncoding.DecodeString(res.Body)
	if err != nil {
		o.Verdict, o.Error, o.Reason = VerdictFailed, "bad body: "+err.Error(), "bad output"
		return o
	}
	o.Verdict, o.Status, o.Body, o.Dropped = VerdictOK, res.Status, body, res.Dropped
	for _, kv := range res.Kept {
		if len(kv) == 2 {
			o.Kept = append(o.Kept, Header{Name: kv[0], Value: kv[1]})
		}
	}
	return o
}
