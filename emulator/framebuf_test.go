package emulator

import "testing"

// FuzzFrameBuffer draws with any arguments the Starlark binding lets
// through (ints within ±maxCoordinate): nothing may panic, and the clamps
// keep every call short enough that the seeds run at once.
func FuzzFrameBuffer(f *testing.F) {
	f.Add(0, 0, 127, 31, 1, uint8(0))
	f.Add(-maxCoordinate, maxCoordinate, maxCoordinate, -maxCoordinate, 1, uint8(1))
	f.Add(64, 16, maxCoordinate, maxCoordinate, 1, uint8(2))
	f.Add(-3, -3, 0, 5, 0, uint8(3))
	f.Add(120, 30, 20, 20, 1, uint8(4))
	f.Fuzz(func(t *testing.T, a, b, c, d, col int, op uint8) {
		clamp := func(v int) int { return max(min(v, maxCoordinate), -maxCoordinate) }
		a, b, c, d = clamp(a), clamp(b), clamp(c), clamp(d)
		img := &imageValue{data: make([]byte, 64), width: 16, height: 16, format: []int{formatMonoVLSB, formatMonoHLSB, formatMonoHMSB}[op%3], stride: 16}
		for i := range img.data {
			img.data[i] = byte(i * 37)
		}
		var fb frameBuffer
		switch op % 8 {
		case 0:
			fb.line(a, b, c, d, col)
		case 1:
			fb.rect(a, b, c, d, col, op&8 != 0)
		case 2:
			r := max(min(c, 1<<12), -(1 << 12))
			s := max(min(d, 1<<12), -(1 << 12))
			fb.ellipse(a, b, r, s, col, op&8 != 0, int(op>>4))
		case 3:
			fb.text("Hello\x00\xff~", a, b, col)
		case 4:
			fb.scroll(a, b)
		case 5:
			fb.blit(img, a, b, c%3-1)
		case 6:
			fb.fillRect(a, b, c, d, col)
		case 7:
			fb.plot(a, b, col)
		}
	})
}
