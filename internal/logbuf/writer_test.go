package logbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingWriter records what reached the destination and in how many
// writes.
type countingWriter struct {
	mu     sync.Mutex
	b      strings.Builder
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return c.b.Write(p)
}

func (c *countingWriter) get() (string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String(), c.writes
}

// Many lines cost the destination one write, made within the interval.
func TestLinesFlushedTogetherWithinTheInterval(t *testing.T) {
	dst := &countingWriter{}
	w := New(dst, 20*time.Millisecond)
	defer w.Close()
	for i := range 100 {
		fmt.Fprintf(w, "line %d\n", i)
	}
	got, writes := dst.get()
	assert.Empty(t, got, "nothing written before the interval")
	assert.Zero(t, writes)
	require.Eventually(t, func() bool { got, _ := dst.get(); return strings.Count(got, "\n") == 100 },
		10*time.Second, 5*time.Millisecond)
	got, writes = dst.get()
	assert.Equal(t, 1, writes)
	assert.True(t, strings.HasPrefix(got, "line 0\nline 1\n"))

	// A later line arms the timer again.
	fmt.Fprintln(w, "later")
	require.Eventually(t, func() bool { got, _ := dst.get(); return strings.HasSuffix(got, "later\n") },
		10*time.Second, 5*time.Millisecond)
}

// Close writes what waits, and later writes go straight through.
func TestCloseFlushes(t *testing.T) {
	dst := &countingWriter{}
	w := New(dst, time.Hour)
	fmt.Fprintln(w, "last words")
	require.NoError(t, w.Close())
	got, _ := dst.get()
	assert.Equal(t, "last words\n", got)
	fmt.Fprintln(w, "after")
	got, _ = dst.get()
	assert.Equal(t, "last words\nafter\n", got)
}

// A full buffer is written at once: memory stays bounded when the lines
// come faster than the interval.
func TestFullBufferFlushes(t *testing.T) {
	dst := &countingWriter{}
	w := New(dst, time.Hour)
	defer w.Close()
	line := strings.Repeat("x", 1023) + "\n"
	for range maxBuffered / len(line) {
		_, err := w.Write([]byte(line))
		require.NoError(t, err)
	}
	got, writes := dst.get()
	assert.Equal(t, 1, writes)
	assert.Len(t, got, maxBuffered)
}

// Concurrent writers keep each Write whole.
func TestConcurrentWritesStayWhole(t *testing.T) {
	dst := &countingWriter{}
	w := New(dst, time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				fmt.Fprintf(w, "writer %d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, w.Close())
	got, _ := dst.get()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	assert.Len(t, lines, 8*200)
	for _, l := range lines {
		assert.Regexp(t, `^writer \d line \d+$`, l)
	}
}
