package emulator

import "sync"

// screen is a loaded script's side of the OLED: the back buffer its
// drawing calls change and the display settings (inverted, rotated) that
// apply when a frame is shown. Like an SSD1306 driver's buffer, nothing
// drawn reaches the panel's Display until show().
type screen struct {
	mu       sync.Mutex
	buf      frameBuffer
	inverted bool
	rotated  bool
	// shown is the last frame show() published, before inversion and
	// rotation, so invert() and rotate() can redraw it at once as the
	// hardware does.
	shown frameBuffer
}

// publish sends the frame shown to d, inverted and turned as set.
// s.mu must be held.
func (s *screen) publish(d *Display) error {
	out := s.shown
	if s.rotated {
		// Rotating by 180° mirrors both axes: column i becomes 127-i and
		// page p becomes 3-p with its bits reversed.
		var turned frameBuffer
		for p := range DisplayPages {
			for x := range DisplayWidth {
				b := out[p*DisplayWidth+x]
				turned[(DisplayPages-1-p)*DisplayWidth+DisplayWidth-1-x] = reverseBits(b)
			}
		}
		out = turned
	}
	if s.inverted {
		for i := range out {
			out[i] = ^out[i]
		}
	}
	return d.SetFrame(out[:])
}

func reverseBits(b byte) byte {
	var r byte
	for range 8 {
		r = r<<1 | b&1
		b >>= 1
	}
	return r
}
