package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oledPicture draws and shows a picture that a 180° turn changes: a block
// in the top-left corner, lines across every page, and single pixels near
// the right edge and the bottom.
const oledPicture = `oled.fill(0)
oled.fill_rect(0, 0, 12, 2, 1)
oled.line(30, 4, 90, 28, 1)
oled.rect(100, 9, 6, 13, 1)
oled.pixel(125, 29, 1)
oled.pixel(127, 10, 1)
oled.show()
`

// displayAfter loads a script running code at its top level and returns
// the frame on the panel after it.
func displayAfter(t *testing.T, code string) []byte {
	t.Helper()
	em, err := New(Config{ScriptPath: writeScript(t, map[string]string{"app.star": "server = HttpServer()\n" + code + "\n"})})
	require.NoError(t, err)
	return em.IO().Display().Frame()
}

// turnedText is frame turned by 180°, and inverted if asked, as text,
// computed from the coordinates: pixel (x, y) shows what (127-x, 31-y)
// held.
func turnedText(frame []byte, inverted bool) string {
	return PixelText(func(x, y int) bool { return FramePixel(frame, DisplayWidth-1-x, DisplayHeight-1-y) != inverted })
}

// oled.rotate(True) shows the frame shown turned by 180°, at once and
// until rotate(False), whatever is drawn after it; the buffer stays as
// drawn.
func TestOLEDRotate(t *testing.T) {
	shown := displayAfter(t, oledPicture)
	plain, turned := FrameText(shown), turnedText(shown, false)
	require.NotEqual(t, plain, turned, "the picture must change when turned")
	require.True(t, FramePixel(shown, 0, 0) && !FramePixel(shown, 127, 31), "the picture is drawn")
	blank := PixelText(func(x, y int) bool { return false })
	tests := []struct{ name, code, want string }{
		{"turned", oledPicture + "oled.rotate(True)", turned},
		{"turned before drawing", "oled.rotate(True)\n" + oledPicture, turned},
		{"turned back", oledPicture + "oled.rotate(True)\noled.rotate(False)", plain},
		{"turned and inverted", oledPicture + "oled.rotate(1)\noled.invert(1)", turnedText(shown, true)},
		{"turns the frame shown, not what is drawn since", oledPicture + "oled.pixel(64, 16, 1)\noled.rotate(True)", turned},
		{"the buffer is not turned", oledPicture + "oled.rotate(True)\nif oled.pixel(0, 0) != 1 or oled.pixel(127, 31) != 0:\n    fail(\"turned\")", turned},
		{"shows later frames turned", oledPicture + "oled.rotate(True)\noled.fill(0)\noled.show()", blank},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, FrameText(displayAfter(t, tt.code)))
		})
	}
	// Pixel by pixel, on the corners: what was at (0, 0) is at (127, 31).
	frame := displayAfter(t, oledPicture+"oled.rotate(True)")
	assert.True(t, FramePixel(frame, 127, 31))
	assert.False(t, FramePixel(frame, 0, 0))
	assert.True(t, FramePixel(frame, 2, 2), "(125, 29)")
	assert.True(t, FramePixel(frame, 0, 21), "(127, 10)")
}
