package clients

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// curlWeirdReply is curl's exit status for a response it cannot parse
// (CURLE_WEIRD_SERVER_REPLY), "Header without colon" among them.
const curlWeirdReply = 8

// curlClient runs the curl program: curl -sS -i --max-time.
type curlClient struct {
	path string
	bin  string
}

func (*curlClient) Name() string { return "curl" }

func (c *curlClient) Start(ctx context.Context) (string, error) {
	bin, err := lookPath(c.path, "curl")
	if err != nil {
		return "", err
	}
	c.bin = bin
	out, _, code, err := runCommand(ctx, nil, bin, "--version")
	if err != nil || code != 0 {
		return "", fmt.Errorf("%s --version: exit %d %v", bin, code, err)
	}
	f := strings.Fields(firstLine(string(out)))
	if len(f) >= 2 {
		return f[0] + " " + f[1], nil
	}
	return "curl", nil
}

func (*curlClient) Close() {}

func (c *curlClient) Do(ctx context.Context, addr string, r Request, timeout time.Duration) (o Outcome) {
	o = Outcome{Client: "curl"}
	start := time.Now()
	defer func() { o.Duration = time.Since(start) }()
	args := []string{"-sS", "-i", "--max-time", strconv.FormatFloat(timeout.Seconds(), 'f', 3, 64)}
	if r.Method == "POST" {
		// curl would add a form Content-Type of its own; an empty value
		// removes it, as the other clients send none unless asked.
		args = append(args, "--data-binary", "@-", "-H", "Content-Type: "+r.ContentType)
		if r.ContentType == "" {
			args[len(args)-1] = "Content-Type:"
		}
	}
	args = append(args, "http://"+addr+r.Path)
	// The program's own timeout ends it; ctx is the backstop.
	ctx, cancel := context.WithTimeout(ctx, timeout+2*time.Second)
	defer cancel()
	stdout, stderr, code, err := runCommand(ctx, r.Body, c.bin, args...)
	o.ExitCode = code
	switch {
	case err != nil:
		o.Verdict, o.Error, o.Reason = VerdictFailed, err.Error(), err.Error()
		return o
	case code != 0:
		msg := firstLine(string(stderr))
		o.Error = msg
		o.Reason = strings.TrimPrefix(msg, "curl: ")
		if o.Reason == "" {
			o.Reason = fmt.Sprintf("exit %d", code)
		}
		o.Verdict = VerdictFailed
		if code == curlWeirdReply {
			o.Verdict = VerdictRefused
		}
		return o
	}
	status, kept, body, err := parseCurlOutput(stdout)
	if err != nil {
		o.Verdict, o.Error, o.Reason = VerdictFailed, err.Error(), err.Error()
		return o
	}
	o.Verdict, o.Status, o.Kept, o.Body = VerdictOK, status, kept, body
	return o
}

// parseCurlOutput reads what curl -i printed: the status line, the header
// lines it passed on, a blank line, the body.
func parseCurlOutput(out []byte) (int, []Header, []byte, error) {
	head, body, ok := bytes.Cut(out, []byte("\r\n\r\n"))
	if !ok {
		return 0, nil, nil, fmt.Errorf("curl printed no header block: %q", firstLine(string(out)))
	}
	lines := strings.Split(string(head), "\r\n")
	f := strings.Fields(lines[0])
	if len(f) < 2 {
		return 0, nil, nil, fmt.Errorf("curl printed no status line: %q", lines[0])
	}
	status, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, nil, nil, fmt.Errorf("curl printed status %q", f[1])
	}
	var kept []Header
	for _, l := range lines[1:] {
		name, value, _ := strings.Cut(l, ":")
		kept = append(kept, Header{Name: name, Value: strings.TrimSpace(value)})
	}
	return status, kept, body, nil
}
