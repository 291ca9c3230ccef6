package emulator

import (
	"fmt"
	"strings"
)

// The OLED's geometry: EuroPi's SSD1306 is 128×32 pixels, addressed as
// MicroPython's framebuf.MONO_VLSB lays it out (the SSD1306's own page
// layout): DisplayPages pages of 8 rows, byte i of page p holding column i
// of rows 8p..8p+7, bit 0 the top row of the page.
const (
	// DisplayWidth is the display's width in pixels, OLED_WIDTH.
	DisplayWidth = 128
	// DisplayHeight is the display's height in pixels, OLED_HEIGHT.
	DisplayHeight = 32
	// DisplayPages is the number of 8-row pages.
	DisplayPages = DisplayHeight / 8
	// DisplayFrameSize is the size of one frame in bytes: 512.
	DisplayFrameSize = DisplayWidth * DisplayPages
)

// Display is the EuroPi's OLED as the panel shows it: the last frame a
// script showed. Starlark scripts draw on it through `oled`, a real
// MicroPython script through its ssd1306 stand-in; the dashboard reads it.
// It starts blank. A Display is a view of its IO's state, so it is safe
// for concurrent use, survives script reloads, and a frame that changes
// the picture counts as a change of the panel (IO.Changed fires and
// IOState.Version moves).
type Display struct {
	io *IO
}

// displayState is the part of IO a Display shows; io.mu guards it.
type displayState struct {
	frame [DisplayFrameSize]byte
	// version counts the frames that changed the picture.
	version uint64
}

// Display returns the panel's OLED.
func (io *IO) Display() *Display { return &Display{io: io} }

// SetFrame shows frame, DisplayFrameSize bytes in MONO_VLSB layout, as an
// SSD1306's show() sends it. Any other length is an error and changes
// nothing. A frame equal to the one shown is no change: the panel's
// version stays, so a script that calls show() in a loop costs the
// dashboard nothing.
func (d *Display) SetFrame(frame []byte) error {
	if len(frame) != DisplayFrameSize {
		return fmt.Errorf("display: a frame is %d bytes (%d×%d pixels, MONO_VLSB), not %d", DisplayFrameSize, DisplayWidth, DisplayHeight, len(frame))
	}
	io := d.io
	io.mu.Lock()
	defer io.mu.Unlock()
	if string(io.display.frame[:]) == string(frame) {
		return nil
	}
	copy(io.display.frame[:], frame)
	io.display.version++
	io.changedLocked()
	return nil
}

// Frame returns a copy of the frame shown, DisplayFrameSize bytes in
// MONO_VLSB layout.
func (d *Display) Frame() []byte {
	frame, _ := d.Snapshot()
	return frame
}

// Snapshot returns a copy of the frame shown and the display's version,
// which counts the frames that changed the picture since the panel was
// created; a reader that remembers it redraws only when it moves.
func (d *Display) Snapshot() (frame []byte, version uint64) {
	io := d.io
	io.mu.Lock()
	defer io.mu.Unlock()
	return append([]byte(nil), io.display.frame[:]...), io.display.version
}

// FramePixel reports whether pixel (x, y) of a MONO_VLSB frame is lit;
// pixels outside the display are not.
func FramePixel(frame []byte, x, y int) bool {
	if x < 0 || y < 0 || x >= DisplayWidth || y >= DisplayHeight || len(frame) < DisplayFrameSize {
		return false
	}
	return frame[(y/8)*DisplayWidth+x]&(1<<(y%8)) != 0
}

// FrameText draws a MONO_VLSB frame as DisplayHeight lines of
// DisplayWidth characters, '#' for a lit pixel and '.' for a dark one,
// each line ending in "\n": a form tests can compare and people can read.
func FrameText(frame []byte) string {
	return PixelText(func(x, y int) bool { return FramePixel(frame, x, y) })
}

// PixelText draws the display's pixels as FrameText does, lit where lit
// says: a picture described by its coordinates, in the form FrameText
// writes a frame, without going through a frame's byte layout.
func PixelText(lit func(x, y int) bool) string {
	var b strings.Builder
	b.Grow((DisplayWidth + 1) * DisplayHeight)
	for y := range DisplayHeight {
		for x := range DisplayWidth {
			if lit(x, y) {
				b.WriteByte('#')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
