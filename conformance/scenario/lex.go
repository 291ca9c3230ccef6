package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// token is one word or quoted string of a scenario line.
type token struct {
	// quoted is true for a Go string literal; text is then its value.
	quoted bool
	text   string
	// repeat is the N of "text"*N; 0 when absent.
	repeat int
}

// part returns a quoted token as a byte string's part. "x"*1 is "x": both
// read as Repeat 0, the one spelling Format writes, so Parse(Format(s))
// gives s back.
func (t token) part(newLine bool) Part {
	p := Part{Text: t.text, Repeat: t.repeat, NewLine: newLine}
	if p.Repeat == 1 {
		p.Repeat = 0
	}
	return p
}

// lexLine splits one line (without its LF) into tokens. Words are runs of
// anything but space, tab and quotes; strings are Go literals, "..." or
// `...`, optionally followed by *N.
func lexLine(line string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			return nil, fmt.Errorf("column %d: a comment must be on its own line", i+1)
		case c == '"' || c == '`':
			end, err := stringEnd(line, i)
			if err != nil {
				return nil, err
			}
			text, err := strconv.Unquote(line[i:end])
			if err != nil {
				return nil, fmt.Errorf("column %d: bad string %s: %v", i+1, line[i:end], err)
			}
			t := token{quoted: true, text: text}
			i = end
			if i < len(line) && line[i] == '*' {
				j := i + 1
				for j < len(line) && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				n, err := strconv.Atoi(line[i+1 : j])
				if err != nil || n < 1 || n > maxRepeat {
					return nil, fmt.Errorf("column %d: repeat count after * must be 1..%d", i+1, maxRepeat)
				}
				t.repeat = n
				i = j
			}
			if i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' {
				return nil, fmt.Errorf("column %d: want a space after a string", i+1)
			}
			toks = append(toks, t)
		default:
			j := i
			for j < len(line) && !strings.ContainsRune(" \t\r\"`", rune(line[j])) {
				j++
			}
			toks = append(toks, token{text: line[i:j]})
			i = j
		}
	}
	return toks, nil
}

// maxRepeat bounds "x"*N so a typo cannot ask for gigabytes.
const maxRepeat = 1 << 20

// stringEnd returns the index just past the string literal starting at i.
func stringEnd(line string, i int) (int, error) {
	quote := line[i]
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			if quote == '"' {
				j++
			}
		case quote:
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("column %d: unterminated string", i+1)
}
