package upstream

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ioTimeout bounds every network exchange in the tests.
const ioTimeout = 10 * time.Second

// runtime is one interpreter the harness supports.
type runtime struct {
	name   string
	python string
}

// runtimes lists the interpreters every runner test runs under; each
// subtest skips when its interpreter is not on PATH.
var runtimes = []runtime{
	{name: "cpython", python: "python3"},
	{name: "micropython", python: "micropython"},
}

// needInterpreter skips the test when rt's interpreter is not installed.
func needInterpreter(t *testing.T, rt runtime) {
	t.Helper()
	if _, err := exec.LookPath(rt.python); err != nil {
		t.Skipf("%s is not on PATH", rt.python)
	}
}

// fakeFirmware is this package's own stand-in checkout (testdata), whose
// http_server.py is a tiny echo server: it lets the runner be tested
// without a EuroPi checkout.
func fakeFirmware(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", "fakefirmware"))
	require.NoError(t, err)
	return abs
}

// script returns the path of a test script in testdata/scripts.
func script(name string) string {
	return filepath.Join("testdata", "scripts", name)
}

// startT starts cfg and stops it when the test ends, failing the test when
// Stop reports a problem.
func startT(t *testing.T, cfg Config) *Process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadyTimeout)
	defer cancel()
	p, err := Start(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, p.Stop())
	})
	return p
}

// exchange sends request on a new connection and returns everything the
// server sends until it closes the connection.
func exchange(t *testing.T, addr string, request string) []byte {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(ioTimeout)))
	_, err = io.WriteString(conn, request)
	require.NoError(t, err)
	data, err := io.ReadAll(conn)
	require.NoError(t, err, "reading the response; got so far: %q", data)
	return data
}

// connectAndLeave opens a connection and closes it without sending a byte.
func connectAndLeave(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	require.NoError(t, err)
	require.NoError(t, conn.Close())
}

// splitResponse cuts a raw response at its first blank line.
func splitResponse(t *testing.T, raw []byte) (head string, body []byte) {
	t.Helper()
	i := bytes.Index(raw, []byte("\r\n\r\n"))
	require.GreaterOrEqual(t, i, 0, "no blank line in response %q", raw)
	return string(raw[:i+4]), raw[i+4:]
}

// requireGone checks that nothing of p is left: no process in its group,
// no listener on its address, no temporary folder.
func requireGone(t *testing.T, p *Process) {
	t.Helper()
	pgid := p.cmd.Process.Pid
	err := syscall.Kill(-pgid, 0)
	require.ErrorIs(t, err, syscall.ESRCH, "process group %d still exists", pgid)
	conn, err := net.DialTimeout("tcp", p.Addr(), ioTimeout)
	if err == nil {
		conn.Close()
	}
	require.Error(t, err, "something still listens on %s", p.Addr())
	_, err = os.Stat(p.dir)
	require.True(t, errors.Is(err, os.ErrNotExist), "temporary folder %s left behind", p.dir)
}

// listenersOn returns the local addresses of the TCP sockets listening on
// port, read from /proc/net/tcp and tcp6 (hex "ADDR:PORT" as the kernel
// writes them).
func listenersOn(t *testing.T, port int) []string {
	t.Helper()
	const listenState = "0A"
	want := fmt.Sprintf(":%04X", port)
	var found []string
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) > 3 && fields[3] == listenState && strings.HasSuffix(fields[1], want) {
				found = append(found, fields[1])
			}
		}
		require.NoError(t, sc.Err())
		require.NoError(t, f.Close())
	}
	return found
}
