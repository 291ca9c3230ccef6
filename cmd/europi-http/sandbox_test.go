package main

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childTimeout bounds each wait on a child process: generous, since the
// child may be a race-enabled build on a loaded machine.
const childTimeout = 60 * time.Second

// serveChild runs `serve` on script in a child process, so that a crash
// is the child's death and not the test's, and returns the child and the
// device address.
func serveChild(t *testing.T, script string, flags ...string) (*child, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.star")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o644))
	args := append([]string{"serve", "--script", path, "--listen", "127.0.0.1:0", "--no-dashboard", "--quiet"}, flags...)
	c := startChild(t, "main", args...)
	line := c.waitLine(t, "europi-http: serving", childTimeout)
	addr := urlAddr(t, line[strings.Index(line, "http://"):strings.LastIndex(line, "/")+1])
	return c, addr
}

// getRaw sends a GET to the child's device port and returns the reply.
func getRaw(t *testing.T, addr string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, childTimeout)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(childTimeout)))
	_, err = conn.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	reply, _ := io.ReadAll(conn)
	return string(reply)
}

// handlerScript serves body, Starlark statements, as its GET handler.
func handlerScript(body string) string {
	return "server = HttpServer()\ndef get(request = None, connection = None):\n" + indentLines(body) +
		"    server.send_response(connection, \"survived\")\nserver.get_handler(get)\n"
}

func indentLines(code string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.Trim(code, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}

// The inputs that killed the process: each must end as a 500 page
// with the error, twice, and the process must live on.
func TestServeSurvivesHostileHandlers(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"replace", `s = "x" * 1000000
s.replace("", s)`, "MemoryError: replace needs about 931.3 GiB, more than the memory limit of 64 MiB"},
		{"join", `s = "x" * (1 << 20)
"".join([s] * 1024)`, "MemoryError: join needs about 1 GiB, more than the memory limit of 64 MiB"},
		{"json.decode depth", `json.decode("[" * 20000000)`, "json.decode: at offset 1000, nesting deeper than 1000 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, addr := serveChild(t, handlerScript(tt.body))
			for range 2 {
				reply := getRaw(t, addr)
				assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 500 "), "reply: %.300q", reply)
				assert.Contains(t, reply, tt.want)
				require.False(t, c.exited(), "the process died: %v", c.err)
			}
			c.signal(t, syscall.SIGINT)
			require.True(t, c.waitExit(childTimeout), "no exit after Ctrl-C")
			assert.NoError(t, c.err)
		})
	}
}

// Ctrl-C and SIGTERM stop a script whose top level computes for long:
// the load runs under serve's context.
func TestServeStopsWhileLoading(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.star")
			require.NoError(t, os.WriteFile(path, []byte(`print("loading")
l = list(range(1000000))
for i in range(2000):
    sorted(l)
server = HttpServer()
`), 0o644))
			c := startChild(t, "main", "serve", "--script", path, "--listen", "127.0.0.1:0", "--no-dashboard", "--call-timeout", "1h")
			c.waitLine(t, "loading", childTimeout)
			c.signal(t, sig)
			require.True(t, c.waitExit(childTimeout), "the load ran on after %s", sig)
			assert.NoError(t, c.err)
		})
	}
}

// The signal after the first ends the process at once, even when the
// clean stop the first one started is stuck.
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	c := startChild(t, "interrupt")
	c.waitLine(t, "ready", childTimeout)
	c.signal(t, syscall.SIGINT)
	c.waitLine(t, "stopping", childTimeout)
	assert.False(t, c.waitExit(100*time.Millisecond), "the first Ctrl-C should only start a clean stop")
	c.signal(t, syscall.SIGINT)
	require.True(t, c.waitExit(childTimeout), "the second Ctrl-C did not end the process")
	var exit *exec.ExitError
	require.ErrorAs(t, c.err, &exit)
	assert.Equal(t, syscall.SIGINT, exit.Sys().(syscall.WaitStatus).Signal())
}
