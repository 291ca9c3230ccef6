package scenario

import (
	"bytes"
	"strconv"
	"strings"
)

// Bytes is a byte string as a scenario file writes it: a concatenation of
// Go-quoted parts, each possibly repeated ("a"*980), each possibly starting
// a continuation line. Keeping the parts (not only their value) lets a file
// be written back the way a person laid it out.
type Bytes struct {
	// Parts are concatenated in order.
	Parts []Part
}

// Part is one quoted string of a Bytes.
type Part struct {
	// Text is the part's bytes (any bytes; a Go string holds them as is).
	Text string
	// Repeat is how many times Text repeats; 0 and 1 both mean once.
	// Parse gives 0 for "x"*1, and Format writes neither as "*1".
	Repeat int
	// NewLine puts the part on its own continuation line when written.
	NewLine bool
}

// B returns the Bytes of s as one part.
func B(s string) Bytes { return Bytes{Parts: []Part{{Text: s}}} }

// LinesOf returns data as Bytes cut after every LF into parts on their own
// lines, the layout --update and the recorder write, so a changed line of a
// body shows as one changed line in a diff.
func LinesOf(data []byte) Bytes {
	if len(data) == 0 {
		return B("")
	}
	var b Bytes
	rest := data
	for len(rest) > 0 {
		n := bytes.IndexByte(rest, '\n') + 1
		if n == 0 {
			n = len(rest)
		}
		b.Parts = append(b.Parts, Part{Text: string(rest[:n]), NewLine: len(b.Parts) > 0})
		rest = rest[n:]
	}
	return b
}

// Value returns the bytes the parts stand for.
func (b Bytes) Value() []byte {
	var buf bytes.Buffer
	for _, p := range b.Parts {
		n := p.Repeat
		if n < 1 {
			n = 1
		}
		for range n {
			buf.WriteString(p.Text)
		}
	}
	return buf.Bytes()
}

// Len returns how many bytes the parts stand for, without building them.
func (b Bytes) Len() int {
	n := 0
	for _, p := range b.Parts {
		n += len(p.Text) * max(p.Repeat, 1)
	}
	return n
}

// String returns the bytes as one Go-quoted string, for messages.
func (b Bytes) String() string { return Quote(b.Value()) }

// Quote returns data as a Go double-quoted string: printable UTF-8 stays
// readable, everything else (CR, LF, NUL, invalid UTF-8) becomes an escape.
func Quote(data []byte) string { return strconv.Quote(string(data)) }

// format writes the parts of b after a clause's leading words, putting
// NewLine parts on continuation lines indented by four spaces.
func (b Bytes) format(sb *strings.Builder) {
	for i, p := range b.Parts {
		switch {
		case i == 0:
			sb.WriteByte(' ')
		case p.NewLine:
			sb.WriteString("\n    ")
		default:
			sb.WriteByte(' ')
		}
		sb.WriteString(strconv.Quote(p.Text))
		if p.Repeat > 1 {
			sb.WriteByte('*')
			sb.WriteString(strconv.Itoa(p.Repeat))
		}
	}
}
