package emulator

// Changed returns a channel that is closed at the panel's next change: an
// input set from outside or an output a script moved. A dashboard waits on
// it instead of polling; after it fires, Snapshot shows the change (or a
// later one) and a fresh call to Changed waits for the one after.
func (io *IO) Changed() <-chan struct{} {
	io.mu.Lock()
	defer io.mu.Unlock()
	return io.changed.Wait()
}

// changedLocked records a change: it bumps Version and wakes every waiter.
// io.mu must be held.
func (io *IO) changedLocked() {
	io.version++
	io.changed.Notify()
}
