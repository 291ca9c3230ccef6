package profile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/internal/broadcast"
	"github.com/europi-http/europi-http/server"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testDeadline bounds every wait in these tests.
const testDeadline = 5 * time.Second

// bigBody is what GET /big answers with.
var bigBody = strings.Repeat("x", 20000)

// handler answers GET /big with a 20000-byte body, GET /n/N with an
// N-byte one, GET /twice with that
// body and then one more send, and anything else with how many bytes of
// request it saw.
func handler(s *server.HttpServer) server.Handler {
	return func(request string, conn *server.Conn) error {
		switch {
		case strings.HasPrefix(request, "GET /big "):
			return s.SendResponse(conn, bigBody, 0, server.MimeText, nil)
		case strings.HasPrefix(request, "GET /n/"):
			n, _ := strconv.Atoi(strings.Fields(request)[1][len("/n/"):])
			return s.SendResponse(conn, bigBody[:min(n, len(bigBody))], 0, server.MimeText, nil)
		case strings.HasPrefix(request, "GET /twice "):
			_ = s.SendResponse(conn, bigBody, 0, server.MimeText, nil)
			_, err := conn.Send([]byte("more"))
			return err
		}
		return s.SendResponse(conn, fmt.Sprintf("read %d bytes", len(request)), 0, server.MimeText, nil)
	}
}

// harness is a server on a profile-wrapped local listener, with its request
// logs and the profile's events.
type harness struct {
	t    *testing.T
	addr string
	l    *listener // nil when Wrap returned the real listener
	srv  *server.HttpServer
	logs chan server.RequestLog

	mu      sync.Mutex
	events  []Event
	changed broadcast.Signal
}

func newHarness(t *testing.T, prof *Profile) *harness {
	t.Helper()
	raw, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	h := &harness{t: t, addr: raw.Addr().String(), logs: make(chan server.RequestLog, 64)}
	wrapped := prof.Wrap(raw, h.record)
	h.l, _ = wrapped.(*listener)
	h.srv = server.New(wrapped)
	h.srv.StallWarning = -1
	h.srv.GetHandler(handler(h.srv))
	h.srv.OnRequest = func(l server.RequestLog) { h.logs <- l }
	t.Cleanup(func() { _ = h.srv.Close() })
	return h
}

// lookup returns a profile with rules turned off and params changed.
func lookup(t *testing.T, name string, without []string, params Params) *Profile {
	t.Helper()
	p, err := Lookup(name)
	require.NoError(t, err)
	p, err = p.Without(without...)
	require.NoError(t, err)
	p.Params = params
	return p
}

func (h *harness) record(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, e)
	h.changed.Notify()
}

// eventsFor returns the events a rule reported so far.
func (h *harness) eventsFor(rule string) []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Event
	for _, e := range h.events {
		if e.Rule == rule {
			out = append(out, e)
		}
	}
	return out
}

// waitEvent waits for an event of kind from rule.
func (h *harness) waitEvent(rule string, kind Kind) Event {
	h.t.Helper()
	timer := time.NewTimer(testDeadline)
	defer timer.Stop()
	for {
		h.mu.Lock()
		for _, e := range h.events {
			if e.Rule == rule && e.Kind == kind {
				h.mu.Unlock()
				return e
			}
		}
		ch := h.changed.Wait()
		h.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			h.t.Fatalf("no %s event from rule %s; events: %v", kind, rule, h.eventsFor(rule))
		}
	}
}

// serve runs Serve until the test ends.
func (h *harness) serve() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Serve(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		require.NoError(h.t, <-done)
	})
}

// check calls CheckRequests until n connections were served.
func (h *harness) check(n int) []server.RequestLog {
	h.t.Helper()
	deadline := time.Now().Add(testDeadline)
	var logs []server.RequestLog
	for len(logs) < n {
		require.True(h.t, time.Now().Before(deadline), "served %d of %d connections", len(logs), n)
		require.NoError(h.t, h.srv.CheckRequests())
		for drained := false; !drained; {
			select {
			case l := <-h.logs:
				logs = append(logs, l)
			default:
				drained = true
			}
		}
	}
	return logs
}

// nextLog waits for the next request log.
func (h *harness) nextLog() server.RequestLog {
	h.t.Helper()
	select {
	case l := <-h.logs:
		return l
	case <-time.After(testDeadline):
		h.t.Fatal("no request was served")
	}
	return server.RequestLog{}
}

// waitState waits until cond, evaluated under the listener's lock, holds.
func (h *harness) waitState(what string, cond func(l *listener) bool) {
	h.t.Helper()
	require.NotNil(h.t, h.l, "the profile wrapped nothing")
	deadline := time.Now().Add(testDeadline)
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	for !cond(h.l) {
		if !time.Now().Before(deadline) {
			h.t.Fatalf("timed out waiting until %s", what)
		}
		h.l.waitLocked(deadline)
	}
}

// waitQueued waits until n connections wait for accept with, together, at
// least bytes bytes of input queued.
func (h *harness) waitQueued(n, bytes int) {
	h.t.Helper()
	h.waitState(fmt.Sprintf("%d connections with %d bytes queue for accept", n, bytes), func(l *listener) bool {
		total := 0
		for _, c := range l.pending {
			total += c.queued
		}
		return len(l.pending) == n && total >= bytes
	})
}

// dial connects a client, with a deadline on everything it does.
func (h *harness) dial() net.Conn {
	h.t.Helper()
	c, err := net.Dial("tcp", h.addr)
	require.NoError(h.t, err)
	require.NoError(h.t, c.SetDeadline(time.Now().Add(testDeadline)))
	h.t.Cleanup(func() { _ = c.Close() })
	return c
}

// send writes s in one write.
func send(t *testing.T, c net.Conn, s string) {
	t.Helper()
	_, err := io.WriteString(c, s)
	require.NoError(t, err)
}

// readAll reads until the connection ends and returns what came and the
// error that ended it (nil for a clean close).
func readAll(c net.Conn) ([]byte, error) {
	b, err := io.ReadAll(c)
	return b, err
}

// isReset reports whether err is a TCP reset.
func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

// paddedGet returns a GET request of exactly n bytes.
func paddedGet(n int) string {
	const start, end = "GET /pad HTTP/1.1\r\nX-Pad: ", "\r\n\r\n"
	return start + strings.Repeat("p", n-len(start)-len(end)) + end
}
