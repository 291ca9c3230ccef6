package emulator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFont checks the drawn font's shape: eight blocks of eight rows of
// twelve 5-pixel cells, a glyph for every printable character, and every
// glyph inside its cell with the gap columns dark.
func TestFont(t *testing.T) {
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(fontArt), "\n") {
		if line != "" {
			rows = append(rows, line)
		}
	}
	require.Len(t, rows, 8*fontCell)
	for i, row := range rows {
		cells := strings.Fields(row)
		if i < 7*fontCell {
			assert.Len(t, cells, glyphsPerBlock, "row %d", i)
		} else {
			assert.Len(t, cells, 95-7*glyphsPerBlock, "row %d", i)
		}
		for _, cell := range cells {
			assert.Len(t, cell, glyphWidth, "row %d", i)
			assert.Empty(t, strings.Trim(cell, ".#"), "row %d", i)
		}
	}
	for c := fontFirst; c <= fontLast; c++ {
		glyph := font[c-fontFirst]
		lit := 0
		for x, column := range glyph {
			if x < glyphOffset || x >= glyphOffset+glyphWidth {
				assert.Zero(t, column, "%q: column %d is a gap", rune(c), x)
			}
			for ; column != 0; column >>= 1 {
				lit += int(column & 1)
			}
		}
		if c == ' ' {
			assert.Zero(t, lit, "space is blank")
		} else {
			assert.NotZero(t, lit, "%q has a glyph", rune(c))
		}
	}
}

// TestFrameBufferText draws past every edge and outside ASCII.
func TestFrameBufferText(t *testing.T) {
	tests := []struct {
		name string
		text string
		x, y int
		want func(x, y int) bool
	}{
		{"off the left", "I", -8, 0, func(int, int) bool { return false }},
		{"off the bottom", "I", 0, 32, func(int, int) bool { return false }},
		{"off the top", "_", 0, -8, func(int, int) bool { return false }},
		{"underscore's row", "_", 0, -3, func(x, y int) bool { return y == 4 && x >= 1 && x <= 5 }},
		{"non-ASCII as boxes, one per byte", "é", 0, 0, func(x, y int) bool {
			col := x % 8
			return x < 16 && y < 7 && (col == 1 || col == 5 || (col > 1 && col < 5 && (y == 0 || y == 6)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fb frameBuffer
			fb.text(tt.text, tt.x, tt.y, 1)
			for y := range DisplayHeight {
				for x := range DisplayWidth {
					assert.Equal(t, tt.want(x, y), fb.pixel(x, y) == 1, "pixel (%d, %d)", x, y)
				}
			}
		})
	}
}
