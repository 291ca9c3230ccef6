package pyrun

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

// TestOLEDRotateThroughStandin: the ssd1306 stand-in's rotate(0) shows the
// picture turned by 180°, alone and inverted, and rotate(1) turns it back;
// each frame is checked against the first one's pixels, turned by their
// coordinates.
func TestOLEDRotateThroughStandin(t *testing.T) {
	for _, python := range interpreters(t) {
		t.Run(python, func(t *testing.T) {
			tr := startRun(t, python, "oled_rotate.py", false)
			frameAt := func(step int) []byte {
				waitPanel(t, tr, fmt.Sprintf("the frame of step %d", step), func(st emulator.IOState, _ []byte) bool {
					return st.Outputs[0].Duty == step
				})
				return tr.IO().Display().Frame()
			}
			next := func() {
				require.NoError(t, tr.IO().Set("b1", 1))
				require.NoError(t, tr.IO().Set("b1", 0))
			}
			shown := frameAt(1)
			require.True(t, emulator.FramePixel(shown, 0, 0) && !emulator.FramePixel(shown, 127, 31), "the picture is drawn")
			turned := func(inverted bool) string {
				return emulator.PixelText(func(x, y int) bool {
					return emulator.FramePixel(shown, emulator.DisplayWidth-1-x, emulator.DisplayHeight-1-y) != inverted
				})
			}
			require.NotEqual(t, emulator.FrameText(shown), turned(false), "the picture must change when turned")

			next()
			assert.Equal(t, turned(false), emulator.FrameText(frameAt(2)), "rotate(0)")
			next()
			assert.Equal(t, turned(true), emulator.FrameText(frameAt(3)), "rotate(0), invert(1)")
			next()
			assert.Equal(t, emulator.FrameText(shown), emulator.FrameText(frameAt(4)), "rotate(1), invert(0)")
		})
	}
}
