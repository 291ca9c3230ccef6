//go:build !unix

package procgroup

import (
	"os/exec"
	"time"
)

// Prepare does nothing on this system, which has no process groups.
func Prepare(*exec.Cmd) {}

// Stop kills cmd's process, which Start started, and waits until exited
// (closed once the caller's cmd.Wait has returned) closes. This system has
// no SIGTERM and no process groups: grace is unused, and what the child
// started is not reached. It returns how the child ended, and an error
// only when it could not be killed, in which case it does not wait.
func Stop(cmd *exec.Cmd, exited <-chan struct{}, _ time.Duration) (Ending, error) {
	select {
	case <-exited:
		return Exited, nil
	default:
	}
	if err := cmd.Process.Kill(); err != nil {
		select {
		case <-exited:
			return Exited, nil
		default:
			return Killed, err
		}
	}
	<-exited
	return Killed, nil
}
