package broadcast

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// isClosed reports whether ch is closed, without blocking.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestSignal(t *testing.T) {
	var s Signal
	s.Notify() // nobody waits: nothing to wake, no channel made
	assert.Nil(t, s.ch)

	a, b := s.Wait(), s.Wait()
	assert.False(t, isClosed(a))
	s.Notify()
	assert.True(t, isClosed(a), "every waiter wakes")
	assert.True(t, isClosed(b), "every waiter wakes")

	c := s.Wait()
	assert.False(t, isClosed(c), "a waiter after a Notify waits for the next one")
	s.Notify()
	assert.True(t, isClosed(c))
}
