package conformance

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// steps builds a scenario around step lines, with a base [expect] for each
// connection named.
func steps(t *testing.T, timeout string, conns []string, stepLines ...string) *scenario.Scenario {
	t.Helper()
	text := "[scenario]\ndescription \"d\"\nrule routes \"r\"\n"
	if timeout != "" {
		text += "timeout " + timeout + "\n"
	}
	text += "[steps]\n" + scenariotest.Lines(stepLines...)
	for _, c := range conns {
		if c == scenario.MainConn {
			text += "[expect]\n"
		} else {
			text += "[expect " + c + "]\n"
		}
	}
	return scenariotest.MustParse(t, "exec/x", text)
}

func TestExecuteEnds(t *testing.T) {
	tests := []struct {
		name   string
		handle func(c *net.TCPConn)
		steps  []string
		data   string
		end    scenario.End
	}{
		{"fin", testnet.Answer(scenariotest.TextAnswer), []string{`send "GET /text HTTP/1.0\r\n\r\n"`}, scenariotest.TextAnswer, scenario.EndFIN},
		{"rst after data", resetting(scenariotest.TextAnswer), []string{`send "GET /text HTTP/1.0\r\n\r\n"`}, scenariotest.TextAnswer, scenario.EndRST},
		{"rst without data", resetting(""), []string{`send "GET /text HTTP/1.0\r\n\r\n"`}, "", scenario.EndRST},
		{"timeout", silent, []string{"connect"}, "", scenario.EndTimeout},
		{"client close", silent, []string{"connect", "close"}, "", scenario.EndClosed},
		{"client reset", silent, []string{"connect", "reset"}, "", scenario.EndClosed},
		{"half-close then answer", echoing, []string{`send "hi"`, "shutdown"}, "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nhi", scenario.EndFIN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.Serve(t, tt.handle)
			s := steps(t, "200ms", []string{scenario.MainConn}, tt.steps...)
			c := execute(t.Context(), addr, s, limits{idle: 200 * time.Millisecond})
			require.Len(t, c.Conns, 1)
			assert.Equal(t, tt.data, string(c.Conns[0].Data))
			assert.Equal(t, tt.end, c.Conns[0].End, "err: %s", c.Conns[0].Err)
			assert.Empty(t, c.StepErrors)
		})
	}
}

func TestExecuteRefused(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	s := steps(t, "", []string{scenario.MainConn}, `send "x"`, "shutdown")
	c := execute(t.Context(), addr, s, limits{idle: time.Second})
	require.Len(t, c.Conns, 1)
	assert.Equal(t, scenario.EndRefused, c.Conns[0].End)
	assert.Contains(t, c.Conns[0].Err, "refused")
	assert.Empty(t, c.StepErrors, "steps on a connection that never opened are not run")
}

func TestExecuteKeepsSegmentsAndTiming(t *testing.T) {
	// The fake writes the head and the body in two writes with a pause, as
	// upstream's two send() calls; the capture keeps both chunks in order.
	gap := 50 * time.Millisecond
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		testnet.ReadRequest(c)
		_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n\r\n"))
		timer := time.NewTimer(gap)
		<-timer.C
		_, _ = c.Write([]byte("body"))
		_ = c.Close()
	})
	s := steps(t, "", []string{scenario.MainConn}, `send "GET / HTTP/1.0\r\n\r\n"`)
	c := execute(t.Context(), addr, s, limits{idle: time.Second})
	cc := c.Conns[0]
	assert.Equal(t, "HTTP/1.0 200 OK\r\n\r\nbody", string(cc.Data))
	require.Len(t, cc.Chunks, 2)
	assert.Equal(t, "body", string(cc.Chunks[1].Data))
	assert.GreaterOrEqual(t, cc.Chunks[1].At-cc.Chunks[0].At, gap)
}

func TestExecuteSplitSegmentsReachServerApart(t *testing.T) {
	// A server that reads once, like upstream, sees only the first segment
	// when the second comes after a wait.
	got := make(chan string, 1)
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		got <- string(testnet.ReadRequest(c))
		_, _ = c.Write([]byte("ok"))
		_ = c.Close()
	})
	s := steps(t, "", []string{scenario.MainConn}, `send "GET /te"`, "wait 100ms", `send may-fail "xt\r\n\r\n"`)
	c := execute(t.Context(), addr, s, limits{idle: time.Second})
	assert.Equal(t, "GET /te", <-got)
	assert.Equal(t, "ok", string(c.Conns[0].Data))
	assert.Equal(t, scenario.EndFIN, c.Conns[0].End)
}

func TestExecuteMarksSeeStalledConnections(t *testing.T) {
	// One connection at a time: the second client gets nothing while the
	// first stays silent, and is answered once the first has been served.
	addr := testnet.Serve(t, echoing)
	s := steps(t, "1s", []string{"first", "second"},
		"connect first", `send second "two"`, "wait 100ms", "mark stalled",
		`send first "one"`, "await first", "await second", "mark done")
	c := execute(t.Context(), addr, s, limits{idle: time.Second})
	require.Len(t, c.Conns, 2)
	assert.Equal(t, 0, c.Marks["stalled"]["second"])
	assert.Equal(t, 0, c.Marks["stalled"]["first"])
	assert.Positive(t, c.Marks["done"]["second"])
	assert.Contains(t, string(c.Conns[0].Data), "one")
	assert.Contains(t, string(c.Conns[1].Data), "two")
}

func TestExecuteWriteErrorIsRecorded(t *testing.T) {
	addr := testnet.Serve(t, resetting(""))
	// The second send goes to a connection the server has reset; the
	// deadline keeps it from hanging, and the error is a step error.
	s := steps(t, "", []string{scenario.MainConn}, `send "a"`, "await", `send "b"`)
	c := execute(t.Context(), addr, s, limits{idle: time.Second})
	require.Len(t, c.StepErrors, 1)
	assert.Equal(t, 2, c.StepErrors[0].Index)
	assert.Contains(t, c.StepErrors[0].Err, "send")
}

func TestExecuteStopsWithContext(t *testing.T) {
	addr := testnet.Serve(t, silent)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	s := steps(t, "", []string{scenario.MainConn}, "connect", "wait 10s")
	start := time.Now()
	c := execute(ctx, addr, s, limits{idle: 10 * time.Second})
	assert.Less(t, time.Since(start), 5*time.Second, "the context bounds the run")
	assert.Equal(t, scenario.EndClosed, c.Conns[0].End)
}

func TestExecuteKeepsUpToTheLimitAndCountsTheRest(t *testing.T) {
	// Three writes with pauses: three chunks, the last one past the limit.
	part := strings.Repeat("x", 400)
	addr := testnet.Serve(t, func(c *net.TCPConn) {
		testnet.ReadRequest(c)
		for range 3 {
			_, _ = c.Write([]byte(part))
			timer := time.NewTimer(30 * time.Millisecond)
			<-timer.C
		}
		_ = c.Close()
	})
	tests := []struct {
		name      string
		keep      int
		kept, cut int
		chunks    int
	}{
		{"everything fits", 2000, 1200, 0, 3},
		{"cut in the second write", 600, 600, 600, 2},
		{"keeps nothing", 0, 0, 1200, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := steps(t, "", []string{scenario.MainConn}, `send "GET / HTTP/1.0\r\n\r\n"`, "await", "mark done")
			c := execute(t.Context(), addr, s, limits{idle: time.Second, keep: map[string]int{scenario.MainConn: tt.keep}})
			cc := c.Conns[0]
			assert.Equal(t, scenario.EndFIN, cc.End)
			assert.Len(t, cc.Data, tt.kept)
			assert.Equal(t, tt.cut, cc.Cut)
			assert.Equal(t, 1200, cc.Received())
			assert.Equal(t, 1200, c.Marks["done"][scenario.MainConn], "marks count every byte received")
			require.Len(t, cc.Chunks, tt.chunks)
			var joined []byte
			for _, ch := range cc.Chunks {
				joined = append(joined, ch.Data...)
			}
			assert.Equal(t, string(cc.Data), string(joined), "the chunks are the bytes kept")
		})
	}
}

func TestExecuteEndsAtTheScenarioDeadline(t *testing.T) {
	// A byte every 50ms keeps a 1s idle timeout from ever firing; only
	// the scenario's deadline ends the run.
	trickle := func(c *net.TCPConn) {
		testnet.ReadRequest(c)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for range 100 {
			if _, err := c.Write([]byte("x")); err != nil {
				break
			}
			<-tick.C
		}
		_ = c.Close()
	}
	tests := []struct {
		name  string
		steps []string
	}{
		{"reading", []string{`send "GET / HTTP/1.0\r\n\r\n"`}},
		{"in an await", []string{`send "GET / HTTP/1.0\r\n\r\n"`, "await"}},
		{"in a wait", []string{`send "GET / HTTP/1.0\r\n\r\n"`, "wait 10s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.Serve(t, trickle)
			s := steps(t, "", []string{scenario.MainConn}, tt.steps...)
			start := time.Now()
			c := execute(t.Context(), addr, s, limits{idle: time.Second, scenario: 300 * time.Millisecond})
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.True(t, c.Overran)
			assert.Equal(t, 300*time.Millisecond, c.Deadline)
			assert.Equal(t, scenario.EndDeadline, c.Conns[0].End)
			assert.Positive(t, c.Conns[0].Received())
			assert.Empty(t, c.StepErrors, "the deadline is one failure, not a failed step")
		})
	}
}

func TestExecuteWithinTheDeadlineDoesNotOverrun(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	s := steps(t, "", []string{scenario.MainConn}, `send "GET / HTTP/1.0\r\n\r\n"`, "await")
	c := execute(t.Context(), addr, s, limits{idle: time.Second, scenario: 5 * time.Second})
	assert.False(t, c.Overran)
	assert.Equal(t, scenario.EndFIN, c.Conns[0].End)
}
