package loadgen

import (
	"context"
	"errors"
	"io"
	"net"
	"time"
)

// readBufSize is each worker's read buffer; bodies stream through it.
const readBufSize = 32 << 10

// outcome is how one request ended.
type outcome struct {
	kind       ErrorKind // "" for a complete response
	err        error
	unfinished bool // cut off by the run's end: neither OK nor an error
	status     int
	bytes      int64
	latency    time.Duration
}

// exchanger does requests one after another, reusing its buffers.
type exchanger struct {
	cfg  *Config
	buf  []byte
	resp response
}

func newExchanger(cfg *Config) *exchanger {
	return &exchanger{cfg: cfg, buf: make([]byte, readBufSize)}
}

// do makes one request on a new connection: dial, one write, read until
// the server closes. ctx is the run's: when it ends, the request is cut
// off and reported unfinished. Nothing is retried.
func (x *exchanger) do(ctx context.Context) outcome {
	x.resp.reset()
	start := time.Now()
	deadline := start.Add(x.cfg.Timeout)
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", x.cfg.Addr)
	if err != nil {
		return x.failed(ctx, err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return x.failed(ctx, err)
	}
	// The run's end interrupts a request blocked in Write or Read. Set
	// after the request's own deadline, which would otherwise undo it.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(x.cfg.Request); err != nil {
		return x.failed(ctx, err)
	}
	for {
		n, err := conn.Read(x.buf)
		x.resp.feed(x.buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A reset after a response whose length is known to be
			// complete loses nothing: the device resets when it closes
			// with unread input.
			if classify(err) == Reset && x.resp.headDone && x.resp.expected(x.cfg.ExpectBody) >= 0 {
				if kind, _ := x.resp.complete(x.cfg.ExpectBody); kind == "" {
					break
				}
			}
			return x.failed(ctx, err)
		}
	}
	out := outcome{status: x.resp.status(), bytes: x.resp.total, latency: time.Since(start)}
	out.kind, out.err = x.resp.complete(x.cfg.ExpectBody)
	return out
}

// failed reports a dial, write or read error.
func (x *exchanger) failed(ctx context.Context, err error) outcome {
	out := outcome{bytes: x.resp.total}
	// The dialer stops at the run's deadline a moment before ctx reports
	// it, so the deadline is checked too.
	if end, ok := ctx.Deadline(); ctx.Err() != nil || ok && !time.Now().Before(end) {
		out.unfinished = true
		return out
	}
	out.kind, out.err = classify(err), err
	return out
}
