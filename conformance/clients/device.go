package clients

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Device is what the server sent for the scenario's own bytes, read over
// a raw connection: the reference each client's outcome is judged against.
type Device struct {
	// Raw is every byte received.
	Raw []byte `json:"-"`
	// Status is the status line without its line end.
	Status string `json:"status"`
	// Header are the header lines without their line ends.
	Header []string `json:"header"`
	// Body is everything after the blank line.
	Body []byte `json:"-"`
	// End is how the connection ended: fin, rst, timeout or error.
	End string `json:"end"`
	// Error is the error for an end other than fin.
	Error string `json:"error,omitempty"`
}

// exchange sends raw on a fresh connection and reads the answer to its
// end.
func exchange(ctx context.Context, addr string, raw []byte, timeout time.Duration) Device {
	var d Device
	dialer := net.Dialer{Timeout: timeout}
	c, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		d.End, d.Error = "error", err.Error()
		return d
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(raw); err != nil {
		d.End, d.Error = "error", err.Error()
		return d
	}
	var buf bytes.Buffer
	_, err = io.Copy(&buf, io.LimitReader(c, maxBody))
	d.Raw = buf.Bytes()
	switch {
	case err == nil:
		d.End = "fin"
	case errors.Is(err, syscall.ECONNRESET):
		d.End = "rst"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		d.End, d.Error = "timeout", err.Error()
	default:
		d.End, d.Error = "error", err.Error()
	}
	head, body, _ := bytes.Cut(d.Raw, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	d.Status, d.Body = lines[0], body
	if len(lines) > 1 {
		d.Header = lines[1:]
	}
	return d
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// StatusCode returns the status line's code, 0 when there is none.
func (d Device) StatusCode() int {
	f := strings.Fields(d.Status)
	if len(f) < 2 {
		return 0
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return 0
	}
	return n
}

// Cell renders what the device sent: the status code and the MIME type,
// "nothing" for no bytes.
func (d Device) Cell() string {
	if len(d.Raw) == 0 {
		return "nothing (" + d.End + ")"
	}
	f := strings.Fields(d.Status)
	code := d.Status
	if len(f) >= 2 {
		code = f[1]
	}
	for _, h := range d.Header {
		if name, value, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "content-type") {
			return code + " " + strings.TrimSpace(value)
		}
	}
	return code
}
