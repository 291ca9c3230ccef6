package conformance

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// hostileScenarios are what the runner tries against each hostile target:
// one GET, a POST that half-closes and awaits, and two connections at once.
var hostileScenarios = []string{
	scenariotest.Lines(
		"[scenario]", `description "a GET"`, `rule routes "r"`, "",
		"[steps]", `send "GET /text HTTP/1.0\r\n\r\n"`, "",
		"[expect]", `status "HTTP/1.0 200 OK\r\n"`, "end fin",
	),
	scenariotest.Lines(
		"[scenario]", `description "a POST"`, `rule routes "r"`, "",
		"[steps]", `send "POST /echo HTTP/1.0\r\n\r\n{}"`, "shutdown", "await", "",
		"[expect]", `status "HTTP/1.0 200 OK\r\n"`, `json "{}"`, "end fin rst",
	),
	scenariotest.Lines(
		"[scenario]", `description "two clients"`, `rule routes "r"`, "",
		"[steps]", "connect quiet", `send "GET / HTTP/1.0\r\n\r\n"`, "close quiet", "",
		"[expect]", `status "HTTP/1.0 200 OK\r\n"`, "end fin",
		"", "[expect quiet]", `raw ""`, "end closed",
	),
}

const (
	// hostileCap is how long a hostile server keeps any connection, so
	// every one of them stops by itself.
	hostileCap = 15 * time.Second
	// hostileFlood is what the flooding server sends on each connection.
	hostileFlood = 100 << 20
	// hostileMaxRetained bounds the heap one scenario's result may keep:
	// a runner that caps what it buffers per connection stays far below.
	hostileMaxRetained = 8 << 20
	// hostileMaxExplain bounds the text a failure explains itself with.
	hostileMaxExplain = 64 << 10
)

// hostileServer serves each connection of a loopback listener with handle,
// concurrently (a scenario may open several), for at most hostileCap.
func hostileServer(t *testing.T, handle func(c *net.TCPConn)) string {
	return testnet.ServeConcurrently(t, func(c *net.TCPConn) {
		_ = c.SetDeadline(time.Now().Add(hostileCap))
		handle(c)
	})
}

// neverAnswers reads whatever comes and sends nothing.
func neverAnswers(c *net.TCPConn) { _, _ = io.Copy(io.Discard, c) }

// resets reads the request, then closes with SO_LINGER 0: a RST.
func resets(c *net.TCPConn) {
	testnet.ReadRequest(c)
	_ = c.SetLinger(0)
}

// trickles sends a status line one byte per interval, and never finishes.
func trickles(interval time.Duration) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		line := "HTTP/1.0 200 OK\r\n"
		for i := 0; ; i++ {
			if _, err := c.Write([]byte{line[i%len(line)]}); err != nil {
				return
			}
			<-tick.C
		}
	}
}

// floods sends n bytes of a response as fast as the client takes them.
func floods(n int) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		chunk := make([]byte, 64<<10)
		copy(chunk, "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\n")
		for sent := 0; sent < n; sent += len(chunk) {
			if _, err := c.Write(chunk[:min(len(chunk), n-sent)]); err != nil {
				return
			}
		}
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRunnerHostileTargets runs the real runner against servers that
// misbehave: each scenario must end in a failure of its own, by the
// runner's doing (not the test's deadline), and keep a bounded result.
func TestRunnerHostileTargets(t *testing.T) {
	tests := []struct {
		name    string
		addr    func(t *testing.T) string
		timeout time.Duration // the runner's idle timeout
		// scenarioTimeout is the runner's whole-scenario deadline (0 for
		// its default), and wantWhat a failure every scenario must have.
		scenarioTimeout time.Duration
		wantWhat        string
	}{
		{"accepts and never answers", func(t *testing.T) string { return hostileServer(t, neverAnswers) }, 300 * time.Millisecond, 0, ""},
		{"refuses", func(t *testing.T) string { return testnet.RefusedAddr(t) }, 300 * time.Millisecond, 0, "connect"},
		{"resets", func(t *testing.T) string { return hostileServer(t, resets) }, 300 * time.Millisecond, 0, ""},
		{"trickles a byte a second, slower than the idle timeout", func(t *testing.T) string { return hostileServer(t, trickles(time.Second)) }, 300 * time.Millisecond, 0, "end"},
		// Every byte restarts the idle timeout, so only the scenario's
		// deadline ends this one (its default, 15 s here, would outlast
		// the test's deadline).
		{"trickles a byte a second, within the idle timeout", func(t *testing.T) string { return hostileServer(t, trickles(time.Second)) }, 1500 * time.Millisecond, 2 * time.Second, "deadline"},
		{"sends 100 MB", func(t *testing.T) string { return hostileServer(t, floods(hostileFlood)) }, 300 * time.Millisecond, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := Target{Name: "hostile", Addr: tt.addr(t), Labels: []string{"emulator"}}
			r := &Runner{Timeout: tt.timeout, ScenarioTimeout: tt.scenarioTimeout, Retry: RetryPolicy{Max: 1, Backoff: 10 * time.Millisecond, MaxBackoff: 10 * time.Millisecond}}
			for i, text := range hostileScenarios {
				s := scenariotest.MustParse(t, fmt.Sprintf("hostile/%d", i), text)
				// The deadline only catches a runner that would not stop:
				// a well-behaved one ends each scenario after an idle
				// timeout or two per attempt.
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				before := heapInUse()
				res := r.RunScenario(ctx, target, s)
				retained := int64(heapInUse()) - int64(before)
				ended := ctx.Err()
				cancel()

				received, kept := 0, 0
				if res.Capture != nil {
					for _, cc := range res.Capture.Conns {
						received += cc.Received()
						kept += len(cc.Data)
						assert.LessOrEqual(t, len(cc.Data), DefaultKeep+keepSlack, "%s: bytes kept of %s", s.Description, cc.Name)
						assert.LessOrEqual(t, len(cc.Chunks), maxChunks)
					}
				}
				t.Logf("%s: %s in %v, %d retries, %d bytes received, %d kept, %d KiB retained",
					s.Description, res.Status, res.Duration.Round(time.Millisecond), res.Retries, received, kept, retained>>10)
				assert.NoError(t, ended, "%s: the runner must end the scenario itself", s.Description)
				assert.Equal(t, StatusFail, res.Status, s.Description)
				assert.NotEmpty(t, res.Failures, s.Description)
				assert.LessOrEqual(t, res.Retries, r.Retry.Max)
				assert.LessOrEqual(t, retained, int64(hostileMaxRetained), "%s: heap kept by one result", s.Description)
				var whats []string
				for _, f := range res.Failures {
					whats = append(whats, f.What)
					assert.LessOrEqual(t, len(f.Explain()), hostileMaxExplain, "%s: %s", s.Description, f.Summary())
				}
				if tt.wantWhat != "" {
					assert.Contains(t, whats, tt.wantWhat, s.Description)
				}
				runtime.KeepAlive(res)
			}
		})
	}
}
