//go:build unix

package procgroup

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startTimeout bounds how long a child may take to start and to say so,
// on a loaded machine.
const startTimeout = 10 * time.Second

// stopTimeout bounds a whole Stop: the longest grace below plus the wait
// for the group's orphans to be reaped.
const stopTimeout = 20 * time.Second

// child is a started shell script in its own group.
type child struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// grandchild is the pid of the background sleep the script started,
	// or 0 when it started none.
	grandchild int
}

// startChild runs script under sh after Prepare. A script that starts a
// grandchild prints its pid ($!) as its first line; startChild returns
// once that line arrived, so the grandchild exists when the test stops
// the group.
func startChild(t *testing.T, script string, grandchild bool) *child {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	Prepare(cmd)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	cmd.Stdout = w
	require.NoError(t, cmd.Start())
	require.NoError(t, w.Close())
	c := &child{cmd: cmd, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		// A failed test must not leave the group running.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-c.exited
	})
	if !grandchild {
		return c
	}
	require.NoError(t, r.SetReadDeadline(time.Now().Add(startTimeout)))
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err, "the script must print its grandchild's pid")
	c.grandchild, err = strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err)
	pgid, err := syscall.Getpgid(c.grandchild)
	require.NoError(t, err)
	require.Equal(t, cmd.Process.Pid, pgid, "the grandchild must be in the child's group")
	return c
}

// waitExited waits, with a deadline, until the child has exited on its own.
func (c *child) waitExited(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(startTimeout):
		require.FailNow(t, "the child did not exit on its own")
	}
}

func TestPrepareStartsAGroupOfItsOwn(t *testing.T) {
	c := startChild(t, `sleep 30 >/dev/null & echo $!; wait`, true)
	pid := c.cmd.Process.Pid
	pgid, err := syscall.Getpgid(pid)
	require.NoError(t, err)
	assert.Equal(t, pid, pgid)
	assert.NotEqual(t, syscall.Getpgrp(), pgid, "the child must not share the test's group")
	_, err = Stop(c.cmd, c.exited, time.Second)
	require.NoError(t, err)
}

func TestStop(t *testing.T) {
	tests := []struct {
		name string
		// script runs under sh; it prints its grandchild's pid first when
		// grandchild is set.
		script     string
		grandchild bool
		// exitFirst has the child exit on its own before Stop.
		exitFirst bool
		grace     time.Duration
		want      Ending
	}{
		{
			name:       "SIGTERM ends the child and its grandchild",
			script:     `sleep 30 >/dev/null & echo $!; sleep 30`,
			grandchild: true,
			grace:      stopTimeout / 2,
			want:       Terminated,
		},
		{
			name:       "a child that ignores SIGTERM is killed after the grace",
			script:     `trap "" TERM; sleep 30 >/dev/null & echo $!; sleep 30`,
			grandchild: true,
			grace:      300 * time.Millisecond,
			want:       Killed,
		},
		{
			name:       "no grace kills at once",
			script:     `sleep 30 >/dev/null & echo $!; sleep 30`,
			grandchild: true,
			want:       Killed,
		},
		{
			name:      "a child that already exited",
			script:    `exit 3`,
			exitFirst: true,
			grace:     time.Second,
			want:      Exited,
		},
		{
			name:       "a child that exited leaving a grandchild",
			script:     `sleep 30 >/dev/null & echo $!`,
			grandchild: true,
			exitFirst:  true,
			grace:      time.Second,
			want:       Exited,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each case waits a second or two for init to reap the
			// group's orphans; in parallel they wait together.
			t.Parallel()
			c := startChild(t, tt.script, tt.grandchild)
			pgid := c.cmd.Process.Pid
			if tt.exitFirst {
				c.waitExited(t)
			}

			type result struct {
				ending Ending
				err    error
			}
			done := make(chan result, 1)
			start := time.Now()
			go func() {
				ending, err := Stop(c.cmd, c.exited, tt.grace)
				done <- result{ending, err}
			}()
			var got result
			select {
			case got = <-done:
			case <-time.After(stopTimeout):
				require.FailNow(t, "Stop did not return")
			}
			elapsed := time.Since(start)

			require.NoError(t, got.err)
			assert.Equal(t, tt.want, got.ending, "ended %v, want %v", got.ending, tt.want)
			if tt.want == Killed && tt.grace > 0 {
				assert.GreaterOrEqual(t, elapsed, tt.grace, "the child must have its grace period")
			}
			select {
			case <-c.exited:
			default:
				assert.Fail(t, "Stop must return after the child is reaped")
			}
			err := syscall.Kill(-pgid, 0)
			assert.True(t, errors.Is(err, syscall.ESRCH), "nothing of group %d may be left, kill(-pgid, 0) = %v", pgid, err)
		})
	}
}

func TestStopTwice(t *testing.T) {
	c := startChild(t, `sleep 30`, false)
	first, err := Stop(c.cmd, c.exited, time.Second)
	require.NoError(t, err)
	assert.Equal(t, Terminated, first)
	second, err := Stop(c.cmd, c.exited, time.Second)
	require.NoError(t, err)
	assert.Equal(t, Exited, second, "a second Stop finds the child gone")
}

func TestEndingString(t *testing.T) {
	tests := []struct {
		ending Ending
		want   string
	}{
		{Exited, "exited"},
		{Terminated, "terminated"},
		{Killed, "killed"},
		{Ending(-1), "unknown ending"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.ending.String())
	}
}
