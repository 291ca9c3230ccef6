package main

import (
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVmHWM(t *testing.T) {
	tests := []struct {
		name, status string
		want         int64
		wantErr      string
	}{
		{"typical", "Name:\tbenchpeer\nVmPeak:\t  1000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t  100 kB\n", 12345 << 10, ""},
		{"missing", "Name:\tx\nVmRSS:\t100 kB\n", 0, "no VmHWM"},
		{"no unit", "VmHWM:\t12345\n", 0, "unexpected"},
		{"not a number", "VmHWM:\tlots kB\n", 0, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVmHWM(tt.status)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// startShell starts sh running script, its stdin a pipe the test closes to
// end it.
func startShell(t *testing.T, script string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	return cmd, stdin
}

func TestPeakRSS(t *testing.T) {
	cmd, _ := startShell(t, "read x")
	rss, err := peakRSS(cmd.Process.Pid)
	require.NoError(t, err)
	assert.Positive(t, rss)
}

func TestStartProc(t *testing.T) {
	ready := regexp.MustCompile(`serving on http://(\S+?)/`)
	tests := []struct {
		name     string
		script   string
		timeout  time.Duration
		wantAddr string
		wantErr  string
	}{
		{"ready", `echo starting; echo "peer serving on http://127.0.0.1:4321/"; exec sleep 30`, 5 * time.Second, "127.0.0.1:4321", ""},
		{"exits first", `echo "bad flag" >&2; exit 2`, 5 * time.Second, "", "exited before it was ready"},
		{"never ready", `exec sleep 30`, 100 * time.Millisecond, "", "printed no address within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := startProc("sh", []string{"-c", tt.script}, ready, tt.timeout)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				if strings.Contains(tt.script, ">&2") {
					assert.Contains(t, err.Error(), "bad flag", "the error quotes the process's stderr")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantAddr, p.addr)
			assert.Positive(t, p.pid())
			require.NoError(t, p.stop(), "SIGTERM ends sh")
			assert.Error(t, p.stop(), "a second stop reports the process gone")
		})
	}
}

func TestTailKeepsTheLastLines(t *testing.T) {
	var tl tail
	assert.Equal(t, "", tl.suffix())
	for i := range 20 {
		_, _ = tl.Write([]byte(strings.Repeat("x", i%3) + "line\n"))
	}
	_, _ = tl.Write([]byte("partial"))
	got := tl.suffix()
	assert.Equal(t, tailLines, strings.Count(got, "line"))
	assert.NotContains(t, got, "partial")

	// Many lines in one write, the first finishing the partial one.
	var many strings.Builder
	many.WriteString(" end\n")
	for i := range 1000 {
		fmt.Fprintf(&many, "req %d\n", i)
	}
	_, _ = tl.Write([]byte(many.String()))
	want := []string{}
	for i := 1000 - tailLines; i < 1000; i++ {
		want = append(want, fmt.Sprintf("req %d", i))
	}
	assert.Equal(t, ":\n  "+strings.Join(want, "\n  "), tl.suffix())
}
