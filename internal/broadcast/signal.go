package broadcast

// Signal announces changes of a state that its owner guards with a lock.
// The zero value is ready to use. A Signal has no lock of its own: the
// owner calls Wait and Notify with that lock held, so a waiter that checked
// the state under the lock cannot miss the change that follows.
type Signal struct {
	ch chan struct{} // closed at the next Notify; nil while nobody waits
}

// Wait returns a channel that is closed at the next Notify.
func (s *Signal) Wait() <-chan struct{} {
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// Notify wakes every waiter. It allocates nothing when nobody waits.
func (s *Signal) Notify() {
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}
