package procgroup

// Ending says how a child stopped by Stop ended.
type Ending int

const (
	// Exited means the child had already exited when Stop was called.
	Exited Ending = iota
	// Terminated means the child exited within the grace period after
	// SIGTERM.
	Terminated
	// Killed means the child was killed with SIGKILL: it outlived the
	// grace period, or there was none.
	Killed
)

// String returns the ending's name, for messages.
func (e Ending) String() string {
	switch e {
	case Exited:
		return "exited"
	case Terminated:
		return "terminated"
	case Killed:
		return "killed"
	}
	return "unknown ending"
}
