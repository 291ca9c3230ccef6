package broadcast

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// woken counts the channels that are closed, without blocking.
func woken(chans ...<-chan struct{}) int {
	n := 0
	for _, ch := range chans {
		select {
		case <-ch:
			n++
		default:
		}
	}
	return n
}

func TestSignal(t *testing.T) {
	var s Signal
	s.Notify() // nobody waits: nothing to wake, no channel made
	assert.Nil(t, s.ch)

	a, b := s.Wait(), s.Wait()
	assert.Equal(t, 0, woken(a, b))
	s.Notify()
	assert.Equal(t, 2, woken(a, b), "every waiter wakes")

	c := s.Wait()
	assert.Equal(t, 0, woken(c), "a waiter after a Notify waits for the next one")
	s.Notify()
	assert.Equal(t, 1, woken(c))
}
