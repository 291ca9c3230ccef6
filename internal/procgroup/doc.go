// Package procgroup starts a child process in a process group of its own
// and stops it with everything it started: the interpreters the emulator
// and the upstream fixture run, and the browser the end-to-end tests drive,
// all fork helpers that must not outlive them.
//
// It works alongside os/exec: Prepare sets up an *exec.Cmd before its
// Start, and Stop ends the group once the caller has a channel that closes
// when its own cmd.Wait has returned. Stop signals the group with SIGTERM,
// kills it with SIGKILL if the child has not exited within a grace period,
// waits for the child to be reaped, then kills whatever is left in the
// group and waits (briefly) until nothing of it remains. On a system
// without process groups (Windows) Prepare does nothing and Stop kills the
// child alone.
package procgroup
