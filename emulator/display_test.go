package emulator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisplaySetFrame(t *testing.T) {
	tests := []struct {
		name  string
		frame []byte
		err   string
	}{
		{"nil", nil, "display: a frame is 512 bytes (128×32 pixels, MONO_VLSB), not 0"},
		{"one short", make([]byte, DisplayFrameSize-1), "not 511"},
		{"one long", make([]byte, DisplayFrameSize+1), "not 513"},
		{"128x64", make([]byte, 1024), "not 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io := NewIO()
			changed := io.Changed()
			err := io.Display().SetFrame(tt.frame)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			assert.False(t, isClosed(changed), "a refused frame is no change")
			frame, version := io.Display().Snapshot()
			assert.Equal(t, make([]byte, DisplayFrameSize), frame)
			assert.Zero(t, version)
		})
	}
}

func TestDisplayFrame(t *testing.T) {
	io := NewIO()
	d := io.Display()
	assert.Equal(t, make([]byte, DisplayFrameSize), d.Frame(), "a new display is blank")

	frame := make([]byte, DisplayFrameSize)
	frame[0] = 0x01                  // (0, 0): page 0, column 0, bit 0
	frame[127] = 0x80                // (127, 7): page 0, column 127, bit 7
	frame[DisplayWidth+5] = 0x04     // (5, 10): page 1, column 5, bit 2
	frame[3*DisplayWidth+127] = 0x80 // (127, 31): the last pixel
	changed := io.Changed()
	before := io.Snapshot().Version
	require.NoError(t, d.SetFrame(frame))
	assert.True(t, isClosed(changed), "a new frame is a change of the panel")
	assert.Equal(t, before+1, io.Snapshot().Version)

	got, version := d.Snapshot()
	assert.Equal(t, frame, got)
	assert.Equal(t, uint64(1), version)
	got[0] = 0xff
	assert.Equal(t, byte(0x01), d.Frame()[0], "Frame returns a copy")
	frame[0] = 0xff
	assert.Equal(t, byte(0x01), d.Frame()[0], "SetFrame keeps a copy")
	frame[0] = 0x01

	lit := map[[2]int]bool{{0, 0}: true, {127, 7}: true, {5, 10}: true, {127, 31}: true}
	for y := range DisplayHeight {
		for x := range DisplayWidth {
			assert.Equal(t, lit[[2]int{x, y}], FramePixel(d.Frame(), x, y), "pixel (%d, %d)", x, y)
		}
	}
	for _, p := range [][2]int{{-1, 0}, {0, -1}, {128, 0}, {0, 32}} {
		assert.False(t, FramePixel(d.Frame(), p[0], p[1]), "outside: %v", p)
	}

	changed = io.Changed()
	require.NoError(t, d.SetFrame(frame))
	assert.False(t, isClosed(changed), "the same frame again is no change")
	_, version = d.Snapshot()
	assert.Equal(t, uint64(1), version)
	assert.Equal(t, before+1, io.Snapshot().Version)
}

func TestFrameText(t *testing.T) {
	frame := make([]byte, DisplayFrameSize)
	frame[0] = 0x03 // (0, 0) and (0, 1)
	frame[3*DisplayWidth+127] = 0x80
	lines := strings.Split(strings.TrimSuffix(FrameText(frame), "\n"), "\n")
	require.Len(t, lines, DisplayHeight)
	assert.Equal(t, "#"+strings.Repeat(".", 127), lines[0])
	assert.Equal(t, "#"+strings.Repeat(".", 127), lines[1])
	assert.Equal(t, strings.Repeat(".", 128), lines[2])
	assert.Equal(t, strings.Repeat(".", 127)+"#", lines[31])
}
