package emulator

// FontColumns returns the 8×8 font oled.text draws with, for a runtime
// that draws text itself (the CPython stand-in for framebuf): the glyphs of
// characters first to last, eight bytes each, one byte per column with bit
// 0 the top row. Any other character is drawn as last.
func FontColumns() (first, last byte, columns []byte) {
	columns = make([]byte, 0, len(font)*fontCell)
	for _, glyph := range font {
		columns = append(columns, glyph[:]...)
	}
	return fontFirst, fontLast, columns
}
