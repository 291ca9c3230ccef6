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

// maxLineEnd bounds how far off the display a line's ends may lie: a line
// is walked pixel by pixel, so ends further out are pulled in to it (which
// tilts lines that far out slightly) and a line costs at most a few
// hundred thousand steps.
const maxLineEnd = 1 << 15

// line draws from (x1, y1) to (x2, y2), both ends included, stepping
// along the longer axis (Bresenham's algorithm).
func (fb *frameBuffer) line(x1, y1, x2, y2, col int) {
	clamp := func(v int) int { return max(min(v, maxLineEnd), -maxLineEnd) }
	x1, y1, x2, y2 = clamp(x1), clamp(y1), clamp(x2), clamp(y2)
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
		if x+fontCell <= 0 {
			x += fontCell // off the left edge
			continue
		}
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

// ellipse draws the ellipse centred on (cx, cy) with radii xr and yr, or
// fills it, in the quadrants quadrants selects (bit 0 the top right, then
// counter-clockwise). It walks one quadrant as J. Kennedy's "A Fast
// Bresenham Type Algorithm For Drawing Ellipses" does, in two runs split
// where the slope passes -1, and mirrors each point into the others, as
// framebuf.ellipse does, so the same call lights the same pixels.
func (fb *frameBuffer) ellipse(cx, cy, xr, yr, col int, filled bool, quadrants int) {
	if xr == 0 && yr == 0 {
		if quadrants&0xf != 0 {
			fb.plot(cx, cy, col)
		}
		return
	}
	point := func(x, y int) {
		// The quadrants' signs of x and y, Q1 to Q4.
		for q, s := range [4][2]int{{1, -1}, {-1, -1}, {-1, 1}, {1, 1}} {
			if quadrants&(1<<q) == 0 {
				continue
			}
			if !filled {
				fb.plot(cx+s[0]*x, cy+s[1]*y, col)
			} else if s[0] > 0 {
				fb.fillRect(cx, cy+s[1]*y, x+1, 1, col)
			} else {
				fb.fillRect(cx-x, cy+s[1]*y, x+1, 1, col)
			}
		}
	}
	a2, b2 := 2*xr*xr, 2*yr*yr
	// The flat run: y steps every time, x now and then.
	x, y := xr, 0
	dx, dy := yr*yr*(1-2*xr), xr*xr
	errSum, stopX, stopY := 0, b2*xr, 0
	for stopX >= stopY {
		point(x, y)
		y++
		stopY += a2
		errSum += dy
		dy += a2
		if 2*errSum+dx > 0 {
			x--
			stopX -= b2
			errSum += dx
			dx += b2
		}
	}
	// The steep run: x steps every time, y now and then.
	x, y = 0, yr
	dx, dy = yr*yr, xr*xr*(1-2*yr)
	errSum, stopX, stopY = 0, 0, a2*yr
	for stopX <= stopY {
		point(x, y)
		x++
		stopX += b2
		errSum += dx
		dx += b2
		if 2*errSum+dy > 0 {
			y--
			stopY -= a2
			errSum += dy
			dy += a2
		}
	}
}

// blit copies img with its top-left corner at (x, y), leaving out the
// pixels whose value is key (0 or 1; -1 copies all), as framebuf.blit does.
func (fb *frameBuffer) blit(img *imageValue, x, y, key int) {
	for sy := range img.height {
		for sx := range img.width {
			if c := img.pixel(sx, sy); c != key {
				fb.plot(x+sx, y+sy, c)
			}
		}
	}
}
