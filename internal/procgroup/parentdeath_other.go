//go:build unix && !linux && !freebsd

package procgroup

import "syscall"

// setParentDeathSignal does nothing: this system has no parent-death
// signal, and a child outlives a crash of this process.
func setParentDeathSignal(*syscall.SysProcAttr) {}
