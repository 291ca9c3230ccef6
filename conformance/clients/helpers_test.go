package clients

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/require"
)

// Answers of a fake device.
const (
	// upstreamText is what upstream sends: a bare charset line and a
	// Key=Value header.
	upstreamText = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\nX-One=1\r\n\r\nplain text\n"
	// upstreamHTML is a page whose UTF-8 a browser must be told about.
	upstreamHTML = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n<p>EuroPi \xe2\x80\x94 gr\xc3\xbc\xc3\x9f</p>"
	// validText is the same answer with valid headers.
	validText = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain text\n"
)

// received is one request a fake device read: method, path and body.
type received struct {
	Method, Path string
	Body         []byte
}

// fakeDevice answers every connection with answer (nothing for "") after
// reading one whole request, whose parts it sends on got.
func fakeDevice(t *testing.T, answer string) (string, <-chan received) {
	t.Helper()
	got := make(chan received, 16)
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
			body, _ := io.ReadAll(req.Body)
			select {
			case got <- received{Method: req.Method, Path: req.URL.RequestURI(), Body: body}:
			default:
			}
		}
		_, _ = c.Write([]byte(answer))
	})
	return addr, got
}

// startClient starts a client or skips the test when it is not installed.
func startClient(t *testing.T, name string) Client {
	t.Helper()
	cs, err := New([]string{name}, Config{})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	version, err := cs[0].Start(ctx)
	if err != nil {
		t.Skipf("%s is not installed here: %v", name, err)
	}
	t.Logf("%s: %s", name, version)
	t.Cleanup(cs[0].Close)
	return cs[0]
}

// do runs one request through c against addr and judges it against the
// raw answer, as Runner does.
func do(t *testing.T, c Client, addr string, r Request) Outcome {
	t.Helper()
	if r.Raw == nil {
		r.Raw = []byte(r.Method + " " + r.Path + " HTTP/1.0\r\nContent-Length: " + strconv.Itoa(len(r.Body)) + "\r\n\r\n" + string(r.Body))
	}
	d := exchange(context.Background(), addr, r.Raw, 5*time.Second)
	o := c.Do(context.Background(), addr, r, 5*time.Second)
	judge(&o, d)
	return o
}

// keptNames lists the names of the kept headers, lower-cased.
func keptNames(o Outcome) []string {
	var out []string
	for _, h := range o.Kept {
		out = append(out, strings.ToLower(h.Name))
	}
	return out
}
