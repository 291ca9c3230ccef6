package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isClosed reports whether ch is closed, without waiting.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestIOChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(io *IO) error
		fires  bool
	}{
		{"knob moved", func(io *IO) error { return io.Set("k1", 40) }, true},
		{"button pressed", func(io *IO) error { return io.Set("b2", 1) }, true},
		{"output moved by a script", func(io *IO) error { io.setDuty(5, 1000); return nil }, true},
		{"same value again", func(io *IO) error { return io.Set("k1", 0) }, false},
		{"same duty again", func(io *IO) error { io.setDuty(0, 0); return nil }, false},
		{"refused value", func(io *IO) error { _ = io.Set("k1", 101); return nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io := NewIO()
			first, second := io.Changed(), io.Changed()
			require.NoError(t, tt.change(io))
			assert.Equal(t, tt.fires, isClosed(first))
			assert.Equal(t, tt.fires, isClosed(second), "every waiter is woken")
			// A fresh call waits for the next change, not the last one.
			assert.False(t, isClosed(io.Changed()))
		})
	}
}
