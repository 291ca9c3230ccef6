package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests check the runner itself against this package's fake
// http_server.py, so they need only an interpreter, not a EuroPi checkout.

// TestRunnerServesOnLoopbackOnly checks that a server asking for 0.0.0.0:80
// ends up on 127.0.0.1 and the chosen port, and nowhere else.
func TestRunnerServesOnLoopbackOnly(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			p := startT(t, Config{Firmware: fakeFirmware(t), Python: rt.python, App: script("pong.py")})

			require.True(t, strings.HasPrefix(p.Addr(), "127.0.0.1:"), p.Addr())
			port, err := strconv.Atoi(strings.TrimPrefix(p.Addr(), "127.0.0.1:"))
			require.NoError(t, err)
			// 0100007F is 127.0.0.1 as /proc/net/tcp writes it.
			require.Equal(t, []string{"0100007F:" + strings.ToUpper(strconv.FormatInt(int64(port), 16))},
				listenersOn(t, port))

			require.Equal(t, "pong:ping", string(exchange(t, p.Addr(), "ping")))
		})
	}
}

// TestRunnerReportsEscapesAndKeepsServing checks that an exception leaving
// check_requests() becomes one Escapes entry, on one line, and that the
// next request is still answered.
func TestRunnerReportsEscapesAndKeepsServing(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			p := startT(t, Config{Firmware: fakeFirmware(t), Python: rt.python, App: script("pong.py")})
			require.Empty(t, p.Escapes())

			// The fake server raises on "boom" and closes the connection.
			exchange(t, p.Addr(), "boom")
			ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
			defer cancel()
			escapes, err := p.WaitEscapes(ctx, 1)
			require.NoError(t, err)
			require.Equal(t, []string{`ValueError: boom\nsecond line`}, escapes)

			require.Equal(t, "pong:after", string(exchange(t, p.Addr(), "after")))
			require.Len(t, p.Escapes(), 1)
		})
	}
}

// TestRunnerStandInHardware checks Config.Inputs, the output arithmetic and
// the log stand-in, through a script that prints what it sees.
func TestRunnerStandInHardware(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			var stderr bytes.Buffer
			p := startT(t, Config{
				Firmware: fakeFirmware(t),
				Python:   rt.python,
				App:      script("inputs.py"),
				Inputs:   map[string]float64{"k1": 0.25, "k2": 1, "ain": 3.3, "din": 1, "b2": 1},
				Stderr:   &stderr,
			})
			require.NoError(t, p.Stop())

			var state struct {
				K1, K2, Ain float64
				Din, B1, B2 any
				CV          []float64
				NumCVs      int `json:"num_cvs"`
			}
			line := stateLine(t, stderr.String())
			require.NoError(t, json.Unmarshal([]byte(line), &state), line)

			assert.Equal(t, 0.25, state.K1)
			assert.Equal(t, 1.0, state.K2)
			assert.Equal(t, 3.3, state.Ain)
			// Digital inputs are ints on the device, so JSON has no ".0".
			assert.Contains(t, line, `"din": 1`)
			assert.Contains(t, line, `"b1": 0`)
			assert.Contains(t, line, `"b2": 1`)
			assert.Equal(t, 6, state.NumCVs)
			require.Len(t, state.CV, 6)
			assert.InDelta(t, outputVolts(7.071), state.CV[0], 1e-9, "cv1 = 7.071 V")
			assert.InDelta(t, outputVolts(10), state.CV[1], 1e-9, "cv2 asked 12 V, clamped to 10")
			assert.Equal(t, 0.0, state.CV[2], "cv3 asked -1 V, clamped to 0")
			assert.InDelta(t, outputVolts(5), state.CV[3], 1e-9, "cv4 on() is the 5 V gate")
			assert.Equal(t, 0.0, state.CV[4])
			assert.Contains(t, stderr.String(), "[INFO] [inputs] logged\n")
		})
	}
}

// stateLine returns the JSON the inputs script wrote after "STATE ".
func stateLine(t *testing.T, stderr string) string {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "STATE "); ok {
			return rest
		}
	}
	require.FailNow(t, "no STATE line", "stderr: %s", stderr)
	return ""
}

// outputVolts is what a EuroPi output with the default calibration reads
// back after voltage(v): the duty cycle interpolated between the per-volt
// calibration points, truncated to an int, scaled back to 0..10 V.
func outputVolts(v float64) float64 {
	cal := []float64{0, 6300, 12575, 19150, 25375, 31625, 38150, 44225, 50525, 56950, 63475}
	v = min(max(v, 0), 10)
	i := int(v)
	step := 6525.0 // past 10 V the last step repeats
	if i < 10 {
		step = cal[i+1] - cal[i]
	}
	frac := v - float64(i)
	duty := float64(int(cal[i] + step*frac))
	return duty / 65535 * 10
}

// TestStartFailures checks that a script that cannot serve gives an error
// naming the reason, with the process's own words, and leaves nothing
// running.
func TestStartFailures(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		source  string
		timeout time.Duration
		wantErr []string
	}{
		{name: "constructor raises", script: "raises.py", wantErr: []string{"exited before it was ready", "constructor failed on purpose"}},
		{name: "no script class", script: "noclass.py", wantErr: []string{"defines no EuroPiScript subclass"}},
		{name: "two script classes", script: "twoclasses.py", wantErr: []string{"several EuroPiScript subclasses", "First", "Second"}},
		{name: "no server", script: "noserver.py", wantErr: []string{"no HttpServer found"}},
		{name: "syntax error", script: "syntax.py", wantErr: []string{"exited before it was ready", "SyntaxError"}},
		{name: "source syntax error", source: "def (", wantErr: []string{"SyntaxError"}},
		{name: "never ready", script: "hangs.py", timeout: time.Second, wantErr: []string{"not ready on 127.0.0.1:", "context deadline exceeded"}},
	}
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					cfg := Config{Firmware: fakeFirmware(t), Python: rt.python}
					if tt.source != "" {
						cfg.AppSource = []byte(tt.source)
					} else {
						cfg.App = script(tt.script)
					}
					timeout := tt.timeout
					if timeout == 0 {
						timeout = DefaultReadyTimeout
					}
					ctx, cancel := context.WithTimeout(context.Background(), timeout)
					defer cancel()
					start := time.Now()
					p, err := Start(ctx, cfg)
					require.Nil(t, p)
					require.Error(t, err)
					for _, want := range tt.wantErr {
						require.ErrorContains(t, err, want)
					}
					require.Less(t, time.Since(start), timeout+stopGrace, "Start must give up by its deadline")
				})
			}
		})
	}
}

// TestStopLeavesNothing checks that Stop ends the process and its group,
// frees the port and removes the temporary folder, and that calling it
// again is harmless.
func TestStopLeavesNothing(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			ctx, cancel := context.WithTimeout(context.Background(), DefaultReadyTimeout)
			defer cancel()
			p, err := Start(ctx, Config{Firmware: fakeFirmware(t), Python: rt.python, App: script("pong.py")})
			require.NoError(t, err)
			require.DirExists(t, p.dir)

			require.NoError(t, p.Stop())
			requireGone(t, p)
			require.NoError(t, p.Stop(), "a second Stop returns the first result")
		})
	}
}

// TestStopWithStalledClient checks that Stop does not hang while a client
// that connected and sent nothing holds the server inside recv(), which on
// CPython and the unix port blocks the whole loop.
func TestStopWithStalledClient(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			ctx, cancel := context.WithTimeout(context.Background(), DefaultReadyTimeout)
			defer cancel()
			p, err := Start(ctx, Config{Firmware: fakeFirmware(t), Python: rt.python, App: script("pong.py")})
			require.NoError(t, err)

			conn, err := net.DialTimeout("tcp", p.Addr(), ioTimeout)
			require.NoError(t, err)
			defer conn.Close()
			// A second client proves the loop is stuck on the first.
			second, err := net.DialTimeout("tcp", p.Addr(), ioTimeout)
			require.NoError(t, err)
			defer second.Close()
			_, err = second.Write([]byte("ping"))
			require.NoError(t, err)
			require.NoError(t, second.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
			_, err = second.Read(make([]byte, 16))
			require.ErrorIs(t, err, os.ErrDeadlineExceeded, "the stalled client must hold up the next one")

			start := time.Now()
			require.NoError(t, p.Stop(), "SIGTERM must end a server stuck in recv() without a kill")
			require.Less(t, time.Since(start), stopGrace)
			requireGone(t, p)
		})
	}
}

// TestStopReportsEarlyDeath checks that Stop says so when the server died
// before it was asked to stop.
func TestStopReportsEarlyDeath(t *testing.T) {
	rt := runtimes[0]
	needInterpreter(t, rt)
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadyTimeout)
	defer cancel()
	p, err := Start(ctx, Config{Firmware: fakeFirmware(t), Python: rt.python, App: script("pong.py")})
	require.NoError(t, err)

	require.NoError(t, p.cmd.Process.Kill())
	<-p.done
	require.ErrorContains(t, p.Stop(), "had already exited")
	requireGone(t, p)
}
