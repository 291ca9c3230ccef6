package emulator

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sortsScript does the 2,000 sorts of a million-element list:
// about 2,000 steps, so the step limit never stops it, and minutes of work.
const sortsScript = `
l = list(range(1000000))
for i in range(2000):
    sorted(l)
`

// testCallTimeout is short, so the tests are quick; the work above takes
// far longer on any machine.
const testCallTimeout = 300 * time.Millisecond

// A handler call past its time limit ends as the 500 page, and the
// emulator serves the next request.
func TestCallTimeoutEndsAHandler(t *testing.T) {
	handler := "def get(request = None, connection = None):\n" + indent(sortsScript) +
		"    server.send_response(connection, \"done\")\n"
	script := writeScript(t, map[string]string{"app.star": "server = HttpServer()\n" + handler +
		"server.get_handler(get)\n"})
	em, err := New(Config{ScriptPath: script, CallTimeout: testCallTimeout})
	require.NoError(t, err)
	addr := startServing(t, em)
	for range 2 {
		start := time.Now()
		reply := string(exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n")))
		assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 500 "), reply)
		assert.Contains(t, reply, "time limit of 300ms exceeded")
		assert.Less(t, time.Since(start), exchangeTimeout)
	}
}

// A load past its time limit fails as a load error, and a load stops when
// its context ends.
func TestLoadStopsAtItsTimeLimitOrContext(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": sortsScript + "server = HttpServer()\n"})
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  time.Duration // when the context ends; 0: never
		want    string
	}{
		{"time limit", testCallTimeout, 0, "time limit of 300ms exceeded"},
		{"context", time.Hour, testCallTimeout, "the emulator is shutting down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.cancel > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.cancel)
				defer cancel()
			}
			done := make(chan error, 1)
			go func() {
				_, err := NewContext(ctx, Config{ScriptPath: script, CallTimeout: tt.timeout})
				done <- err
			}()
			select {
			case err := <-done:
				var se *ScriptError
				require.ErrorAs(t, err, &se)
				assert.Contains(t, err.Error(), tt.want)
			case <-time.After(exchangeTimeout):
				t.Fatal("the load ran on past its time limit or its context")
			}
		})
	}
}

// str() of the 200,000-deep list is one step, which no time
// limit can interrupt (it took 16 s); it is bounded by depth instead, as
// Python's recursion limit bounds repr(), and fails at once.
func TestDeepStrFailsAtOnce(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": "x = []\nfor i in range(200000):\n    x = [x]\nX = str(x)\nserver = HttpServer()\n"})
	start := time.Now()
	_, err := New(Config{ScriptPath: script, CallTimeout: time.Hour})
	assert.EqualError(t, err, script+":4:8: str(): maximum recursion depth exceeded while getting the repr of an object")
	assert.Less(t, time.Since(start), exchangeTimeout)
}

// indent indents Starlark code by one level.
func indent(code string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.Trim(code, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}
