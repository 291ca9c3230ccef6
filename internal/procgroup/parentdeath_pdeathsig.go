//go:build linux || freebsd

package procgroup

import "syscall"

// setParentDeathSignal has the kernel kill the child if this process dies
// first, so no interpreter or browser outlives a crashed run.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
