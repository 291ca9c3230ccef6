package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/europi-http/europi-http/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/nettest"
)

// soak turns TestSoak on: `go test ./emulator -run Soak -soak -v -timeout 20m`.
var soak = flag.Bool("soak", false, "run TestSoak: 100,000 requests against the default example")

const (
	soakRequests = 100_000
	soakClients  = 50
	// soakDeadline bounds one well-formed exchange: the single-threaded
	// loop serves the other clients (and a silent one) first.
	soakDeadline = 30 * time.Second
	// soakSilence is how long a silent client holds the loop before it
	// gives up; every one stalls all the others, so they are rare.
	soakSilence = 50 * time.Millisecond
	// soakSettle bounds the wait for descriptors and goroutines to return
	// to their starting count once the server stopped.
	soakSettle = 10 * time.Second
)

// soakKind is what one client connection does.
type soakKind int

const (
	soakGet     soakKind = iota // GET /: the slider page
	soakPost                    // POST / with the sliders' JSON
	soakGarbage                 // random bytes, some over 1024
	soakEarly                   // connects and closes, or resets mid-request
	soakSilent                  // connects and sends nothing
	numSoakKinds
)

var soakKindNames = [numSoakKinds]string{"get", "post", "garbage", "early close", "silent"}

// soakKindOf spreads the kinds over request numbers: 90% well formed, 5%
// garbage, 4.9% early closes, 0.1% silent.
func soakKindOf(i int) soakKind {
	switch r := i % 1000; {
	case r == 999:
		return soakSilent
	case r >= 950:
		return soakEarly
	case r >= 900:
		return soakGarbage
	case r%2 == 0:
		return soakGet
	}
	return soakPost
}

// soakStats counts what the clients saw.
type soakStats struct {
	sent, ok [numSoakKinds]atomic.Int64
	mu       sync.Mutex
	failures []string // the first few requests that went wrong
	failed   atomic.Int64
}

func (s *soakStats) fail(format string, args ...any) {
	s.failed.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) < 10 {
		s.failures = append(s.failures, fmt.Sprintf(format, args...))
	}
}

// openFDs counts the process's open file descriptors, -1 where /proc
// cannot tell.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// TestSoak serves the default example (http_control) to 50 concurrent
// clients for 100,000 requests, a tenth of them garbage, early closes or
// silent. The emulator must stay up, every well-formed request must get
// its whole response, and descriptors and goroutines must return to their
// starting count.
func TestSoak(t *testing.T) {
	if !*soak {
		t.Skip("a soak test of a few minutes; run it with -soak")
	}
	// The runtime opens its network poller's descriptors on first use and
	// keeps them; open them before counting.
	warm, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	require.NoError(t, warm.Close())
	leaks := goleak.IgnoreCurrent()
	fdsBefore, goroutinesBefore := openFDs(), runtime.NumGoroutine()

	var served atomic.Int64
	em, err := New(Config{Configure: func(s *server.HttpServer) {
		s.OnRequest = func(server.RequestLog) { served.Add(1) }
	}})
	require.NoError(t, err)
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- em.Serve(ctx, ln) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			require.NoError(t, <-done)
		}
	}
	defer stop()

	page, err := examplesFS.ReadFile("examples/http_control/page.html")
	require.NoError(t, err)
	wantGet := "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n" + string(page)

	stats := &soakStats{}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range soakClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= soakRequests {
					return
				}
				kind := soakKindOf(i)
				stats.sent[kind].Add(1)
				if err := soakOne(addr, i, kind, wantGet); err != nil {
					stats.fail("%s %d: %v", soakKindNames[kind], i, err)
					continue
				}
				stats.ok[kind].Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	// Still up: one more page, whole.
	last, err := soakExchange(addr, []byte("GET / HTTP/1.1\r\n\r\n"), soakDeadline)
	require.NoError(t, err, "the emulator must still answer")
	assert.Equal(t, wantGet, string(last))
	waitFor(t, "every connection logged", func() bool { return served.Load() == soakRequests+1 })
	stop()
	waitFor(t, "descriptors back to the start", func() bool { return openFDs() == fdsBefore })
	waitFor(t, "goroutines back to the start", func() bool { return runtime.NumGoroutine() <= goroutinesBefore })

	t.Logf("soak: %d requests from %d clients in %v, %.0f req/s", soakRequests, soakClients, elapsed.Round(time.Millisecond), soakRequests/elapsed.Seconds())
	for k := range numSoakKinds {
		t.Logf("soak: %-11s sent %6d, answered as expected %6d", soakKindNames[k], stats.sent[k].Load(), stats.ok[k].Load())
	}
	t.Logf("soak: connections served %d; fds %d before, %d after; goroutines %d before, %d after",
		served.Load(), fdsBefore, openFDs(), goroutinesBefore, runtime.NumGoroutine())
	assert.Zero(t, stats.failed.Load(), "requests that went wrong, the first few: %q", stats.failures)
	goleak.VerifyNone(t, leaks)
}

// waitFor polls cond until it holds or soakSettle passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(soakSettle)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Errorf("%s: not within %v", what, soakSettle)
			return
		case <-tick.C:
		}
	}
}

// soakOne makes request i of the given kind and says how it went wrong, if
// it did: a well-formed request must get its whole response, garbage a
// response starting "HTTP/1.0 " or a close, and nothing may hang.
func soakOne(addr string, i int, kind soakKind, wantGet string) error {
	rng := rand.New(rand.NewPCG(uint64(i), 1))
	switch kind {
	case soakGet:
		reply, err := soakExchange(addr, []byte("GET / HTTP/1.1\r\nHost: europi\r\n\r\n"), soakDeadline)
		if err != nil || string(reply) != wantGet {
			return fmt.Errorf("%v, %d bytes: %.80q", err, len(reply), reply)
		}
	case soakPost:
		body := fmt.Sprintf(`{"cv1": %.2f, "cv2": %d, "cv3": null}`, rng.Float64()*10, rng.IntN(11))
		reply, err := soakExchange(addr, []byte("POST / HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"+body), soakDeadline)
		head := "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n"
		var state struct{ Inputs, Outputs map[string]any }
		if err != nil || !bytes.HasPrefix(reply, []byte(head)) || json.Unmarshal(reply[len(head):], &state) != nil || len(state.Outputs) != 6 {
			return fmt.Errorf("%v, %d bytes: %.80q", err, len(reply), reply)
		}
	case soakGarbage:
		junk := make([]byte, 1+rng.IntN(2048))
		for j := range junk {
			junk[j] = byte(rng.UintN(256))
		}
		reply, err := soakExchange(addr, junk, soakDeadline)
		if err != nil && !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
			return err
		}
		if n := min(len(reply), len("HTTP/1.0 ")); string(reply[:n]) != "HTTP/1.0 "[:n] {
			return fmt.Errorf("not a response: %.80q", reply)
		}
	case soakEarly:
		c, err := net.DialTimeout("tcp", addr, soakDeadline)
		if err != nil {
			return err
		}
		if i%2 == 0 {
			_, _ = c.Write([]byte("POST / HTTP/1.1\r\nContent-Le"))
			_ = c.(*net.TCPConn).SetLinger(0) // a reset mid-request
		}
		return c.Close()
	case soakSilent:
		c, err := net.DialTimeout("tcp", addr, soakDeadline)
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(soakSilence))
		if _, err = c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("a client that sent nothing got an answer or a close: %v", err)
		}
	}
	return nil
}

// soakExchange sends request in one write, half-closes and reads the reply
// to its end.
func soakExchange(addr string, request []byte, deadline time.Duration) ([]byte, error) {
	c, err := net.DialTimeout("tcp", addr, deadline)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(deadline)); err != nil {
		return nil, err
	}
	if _, err := c.Write(request); err != nil {
		return nil, err
	}
	_ = c.(*net.TCPConn).CloseWrite()
	return io.ReadAll(c)
}
