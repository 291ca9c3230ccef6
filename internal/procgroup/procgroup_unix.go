//go:build unix

package procgroup

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// leftoverWait bounds how long Stop waits for the rest of the group to
// vanish once the child is reaped. Orphans are reaped by init, which in a
// container may take a second or two; zombies nobody reaps hold nothing
// but a process slot, so Stop gives up on them.
const leftoverWait = 5 * time.Second

// leftoverPoll is how often Stop looks whether the group is gone.
const leftoverPoll = 10 * time.Millisecond

// Prepare sets cmd, before its Start, to run in a process group of its own
// whose id is its pid, so Stop reaches anything it starts; and, where the
// system offers it (Linux, FreeBSD), to be killed if this process dies
// without stopping it. It keeps the rest of cmd.SysProcAttr.
func Prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = 0
	setParentDeathSignal(cmd.SysProcAttr)
}

// Stop ends the process group of cmd, which Prepare set up and Start
// started. exited must close once the caller's cmd.Wait has returned.
// Unless the child had already exited, Stop sends SIGTERM to the group
// and, if the child is still there after grace, SIGKILL; a grace of zero
// or less kills at once. Once the child is reaped it kills whatever is
// left in the group and waits until the group is gone (or a few seconds
// have passed). It returns how the child ended, and an error only when
// the group could not be signalled, in which case it does not wait.
func Stop(cmd *exec.Cmd, exited <-chan struct{}, grace time.Duration) (Ending, error) {
	pgid := cmd.Process.Pid
	ending, err := stopChild(pgid, exited, grace)
	if err != nil {
		return ending, err
	}
	// The child's helpers may have outlived it, or ignored the SIGTERM.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	waitGone(pgid)
	return ending, nil
}

// stopChild ends the child whose group is pgid and waits until exited
// closes.
func stopChild(pgid int, exited <-chan struct{}, grace time.Duration) (Ending, error) {
	select {
	case <-exited:
		return Exited, nil
	default:
	}
	if grace > 0 {
		if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return Terminated, fmt.Errorf("procgroup: signalling process group %d: %w", pgid, err)
		}
		timer := time.NewTimer(grace)
		defer timer.Stop()
		select {
		case <-exited:
			return Terminated, nil
		case <-timer.C:
		}
	}
	// ESRCH here means the group has just died on its own: exited closes soon.
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return Killed, fmt.Errorf("procgroup: killing process group %d: %w", pgid, err)
	}
	<-exited
	return Killed, nil
}

// waitGone waits until no process is left in group pgid, or leftoverWait
// has passed. SIGKILL is delivered asynchronously, and a folder removed
// under a dying process can fail to go.
func waitGone(pgid int) {
	deadline := time.NewTimer(leftoverWait)
	defer deadline.Stop()
	tick := time.NewTicker(leftoverPoll)
	defer tick.Stop()
	for syscall.Kill(-pgid, 0) == nil {
		select {
		case <-tick.C:
		case <-deadline.C:
			return
		}
	}
}
