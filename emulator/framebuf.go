package emulator

// frameBuffer is a script's drawing surface for the OLED, a frame in the
// Display's MONO_VLSB layout. Its methods draw as MicroPython's framebuf
// does for a 128×32 MONO_VLSB buffer: any non-zero colour lights a pixel,
// zero darkens it, and everything is clipped to the display.
type frameBuffer [DisplayFrameSize]byte

// inside reports whether (x, y) is on the display.
func inside(x, y int) bool {
	return x >= 0 && y >= 0 && x < DisplayWidth && y < DisplayHeight
}

// setPixel sets one pixel that is known to be on the display.
func (fb *frameBuffer) setPixel(x, y, col int) {
	i, bit := (y/8)*DisplayWidth+x, byte(1)<<(y%8)
	if col != 0 {
		fb[i] |= bit
	} else {
		fb[i] &^= bit
	}
}

// pixel returns 1 if (x, y) is lit, 0 otherwise; pixels outside are dark.
func (fb *frameBuffer) pixel(x, y int) int {
	if inside(x, y) && FramePixel(fb[:], x, y) {
		return 1
	}
	return 0
}

// plot sets (x, y) if it is on the display.
func (fb *frameBuffer) plot(x, y, col int) {
	if inside(x, y) {
		fb.setPixel(x, y, col)
	}
}

// fill sets every pixel.
func (fb *frameBuffer) fill(col int) {
	var b byte
	if col != 0 {
		b = 0xff
	}
	for i := range fb {
		fb[i] = b
	}
}

// fillRect fills the w×h rectangle at (x, y), clipped; an empty or
// negative size draws nothing.
func (fb *frameBuffer) fillRect(x, y, w, h, col int) {
	if w < 1 || h < 1 {
		return
	}
	x0, y0 := max(x, 0), max(y, 0)
	x1, y1 := min(x+w, DisplayWidth), min(y+h, DisplayHeight)
	for py := y0; py < y1; py++ {
		for px := x0; px < x1; px++ {
			fb.setPixel(px, py, col)
		}
	}
}

// rect draws the outline of the w×h rectangle at (x, y), or fills it.
func (fb *frameBuffer) rect(x, y, w, h, col int, filled bool) {
	if filled {
		fb.fillRect(x, y, w, h, col)
		return
	}
	fb.fillRect(x, y, w, 1, col)
	fb.fillRect(x, y+h-1, w, 1, col)
	fb.fillRect(x, y, 1, h, col)
	fb.fillRect(x+w-1, y, 1, h, col)
}

// line draws from (x1, y1) to (x2, y2), both ends included, stepping
// along the longer axis (Bresenham's algorithm).
func (fb *frameBuffer) line(x1, y1, x2, y2, col int) {
	dx, dy := abs(x2-x1), -abs(y2-y1)
	sx, sy := sign(x2-x1), sign(y2-y1)
	err := dx + dy
	for {
		fb.plot(x1, y1, col)
		if x1 == x2 && y1 == y2 {
			return
		}
		if e2 := 2 * err; e2 >= dy {
			err += dy
			x1 += sx
		} else {
			err += dx
			y1 += sy
		}
	}
}

// text draws s with its first cell's top-left corner at (x, y), one
// 8-pixel cell per byte as framebuf.text does (so a UTF-8 character of
// two bytes takes two cells), lighting only the glyphs' pixels.
func (fb *frameBuffer) text(s string, x, y, col int) {
	for i := 0; i < len(s); i++ {
		c := int(s[i])
		if c < fontFirst || c > fontLast {
			c = fontLast
		}
		for j, column := range font[c-fontFirst] {
			for k := 0; column != 0; k, column = k+1, column>>1 {
				if column&1 != 0 {
					fb.plot(x+j, y+k, col)
				}
			}
		}
		x += fontCell
		if x >= DisplayWidth {
			return // the rest is off the right edge
		}
	}
}

// scroll moves the picture by (dx, dy) pixels; the strip it leaves keeps
// what was there, as framebuf.scroll does.
func (fb *frameBuffer) scroll(dx, dy int) {
	old := *fb
	for y := range DisplayHeight {
		for x := range DisplayWidth {
			if inside(x-dx, y-dy) {
				fb.setPixel(x, y, old.pixel(x-dx, y-dy))
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
