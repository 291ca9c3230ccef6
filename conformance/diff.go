package conformance

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// FirstDiff returns the offset of the first byte where a and b differ, the
// shorter length when one is a prefix of the other, or -1 when they are
// equal.
func FirstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) == len(b) {
		return -1
	}
	return n
}

// DescribeDiff says in one line where expected and actual first differ.
func DescribeDiff(expected, actual []byte) string {
	off := FirstDiff(expected, actual)
	switch {
	case off < 0:
		return "equal"
	case off == len(actual):
		return fmt.Sprintf("first difference at offset %d: actual ends there (%d bytes), expected goes on with %s (%d bytes)",
			off, len(actual), quoteWindow(expected, off, off+16), len(expected))
	case off == len(expected):
		return fmt.Sprintf("first difference at offset %d: expected ends there (%d bytes), actual goes on with %s (%d bytes)",
			off, len(expected), quoteWindow(actual, off, off+16), len(actual))
	}
	return fmt.Sprintf("first difference at offset %d: expected %s, actual %s",
		off, strconv.QuoteToASCII(string(expected[off:off+1])), strconv.QuoteToASCII(string(actual[off:off+1])))
}

// quoteWindow quotes data[from:to] (clamped), marking cut ends with "...".
func quoteWindow(data []byte, from, to int) string {
	from, to = max(from, 0), min(to, len(data))
	if from >= to {
		return `""`
	}
	q := strconv.Quote(string(data[from:to]))
	if from > 0 {
		q = "..." + q
	}
	if to < len(data) {
		q += "..."
	}
	return q
}

// sideLines is how many lines around the first difference SideBySide shows.
const sideLines = 3

// cellWidth is how many bytes of a line one column of SideBySide shows.
const cellWidth = 40

// sideWindow bounds how many bytes before and after the first difference
// SideBySide looks at, so its cost does not grow with the inputs.
const sideWindow = 8 << 10

// SideBySide lays expected and actual out in two columns, one line (up to
// and including each LF) per row, each Go-quoted so CR, NUL and invalid
// UTF-8 show. Rows that differ are marked with "!"; only the rows around
// the first difference are shown, and long lines are cut around it.
func SideBySide(expected, actual []byte) string {
	off := FirstDiff(expected, actual)
	if off < 0 {
		return ""
	}
	// Only a window around the difference is split into lines. The bytes
	// before off are the same in both, so both windows start together.
	start := windowStart(expected, off)
	ew, aw := expected[start:windowEnd(expected, off)], actual[start:windowEnd(actual, off)]
	el, al := splitLines(ew), splitLines(aw)
	firstRow := bytes.Count(expected[:start], []byte{'\n'})
	row, col := lineOf(ew, off-start)
	n := max(len(el), len(al))
	from, to := max(0, row-sideLines), min(n, row+sideLines+1)

	cells := make([][2]string, 0, to-from)
	width := len("expected")
	for i := from; i < to; i++ {
		var c [2]string
		for k, lines := range [][][]byte{el, al} {
			if i < len(lines) {
				focus := 0
				if i == row {
					focus = col
				}
				c[k] = lineCell(lines[i], focus)
			} else {
				c[k] = "(none)"
			}
		}
		width = max(width, len(c[0]))
		cells = append(cells, c)
	}

	var sb strings.Builder
	fmt.Fprintf(&sb, "  %-*s | %s\n", width, "expected", "actual")
	for i, c := range cells {
		mark := " "
		li := from + i
		if li >= len(el) || li >= len(al) || !bytes.Equal(el[li], al[li]) {
			mark = "!"
		}
		fmt.Fprintf(&sb, "%s %-*s | %s\n", mark, width, c[0], c[1])
	}
	if more := max(countLines(expected), countLines(actual)) - (firstRow + to); more > 0 {
		fmt.Fprintf(&sb, "  ... %d more lines\n", more)
	}
	return sb.String()
}

// windowStart returns where SideBySide's window starts: sideLines lines
// before the line holding off, at most sideWindow bytes before off.
func windowStart(data []byte, off int) int {
	limit := max(0, off-sideWindow)
	i := off
	for lfs := 0; i > limit; i-- {
		if data[i-1] == '\n' {
			if lfs == sideLines {
				break
			}
			lfs++
		}
	}
	return i
}

// windowEnd returns where SideBySide's window ends: after the line
// sideLines lines below the one holding off, at most sideWindow bytes
// after off.
func windowEnd(data []byte, off int) int {
	limit := min(len(data), off+sideWindow)
	i := off
	for lfs := 0; i < limit; i++ {
		if data[i] == '\n' {
			if lfs == sideLines {
				return i + 1
			}
			lfs++
		}
	}
	return i
}

// countLines returns how many lines splitLines would cut data into.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// lineCell quotes one line, cut to cellWidth bytes around focus.
func lineCell(line []byte, focus int) string {
	if len(line) <= cellWidth {
		return strconv.Quote(string(line))
	}
	from := max(0, min(focus-cellWidth/4, len(line)-cellWidth))
	return quoteWindow(line, from, from+cellWidth)
}

// splitLines cuts data after every LF; an empty input has no lines.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		n := bytes.IndexByte(data, '\n') + 1
		if n == 0 {
			n = len(data)
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return out
}

// lineOf returns the line index and column of offset off in data.
func lineOf(data []byte, off int) (row, col int) {
	start := 0
	for i := 0; i < off && i < len(data); i++ {
		if data[i] == '\n' {
			row++
			start = i + 1
		}
	}
	return row, off - start
}
