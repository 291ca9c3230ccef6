package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// MaxFetchBytes caps what Fetch keeps of a response.
const MaxFetchBytes = 4 << 20

// Fetch makes one request the way Run does (new connection, one write,
// read until the server closes) and returns the raw response bytes, for
// probing whether a server answers and capturing what it sends. It fails
// on a dial, write or read error, an incomplete response, more than
// MaxFetchBytes, or when timeout or ctx ends first.
func Fetch(ctx context.Context, addr string, request []byte, timeout time.Duration) ([]byte, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(request); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	n, err := io.Copy(&out, io.LimitReader(conn, MaxFetchBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if n > MaxFetchBytes {
		return nil, fmt.Errorf("the response is longer than %d bytes", MaxFetchBytes)
	}
	var r response
	r.feed(out.Bytes())
	if _, err := r.complete(0); err != nil {
		return out.Bytes(), err
	}
	return out.Bytes(), nil
}
