package recorder

import (
	"bytes"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Bounds of the runs layout writes as "unit"*N: a unit of up to maxUnit
// bytes repeated to at least minRun bytes, so padding and generated
// bodies stay one readable line instead of thousands of bytes.
const (
	maxUnit = 16
	minRun  = 32
)

// layout returns data as a scenario file writes it: short data on one
// line, longer data cut after each line feed onto lines of its own (as
// --update writes bodies), and long runs of a repeated unit as "unit"*N.
func layout(data []byte) scenario.Bytes {
	if len(data) == 0 {
		return scenario.B("")
	}
	var b scenario.Bytes
	rest := data
	for len(rest) > 0 {
		n := len(rest)
		if len(data) > inlineSend {
			n = bytes.IndexByte(rest, '\n') + 1
			if n == 0 {
				n = len(rest)
			}
		}
		parts := runs(rest[:n])
		parts[0].NewLine = len(b.Parts) > 0
		b.Parts = append(b.Parts, parts...)
		rest = rest[n:]
	}
	return b
}

// runs cuts one line into literal parts and repeated units.
func runs(line []byte) []scenario.Part {
	var out []scenario.Part
	lit := 0 // start of the pending literal
	for i := 0; i < len(line); {
		unit, count := longestRun(line[i:])
		if unit == 0 {
			i++
			continue
		}
		if lit < i {
			out = append(out, scenario.Part{Text: string(line[lit:i])})
		}
		out = append(out, scenario.Part{Text: string(line[i : i+unit]), Repeat: count})
		i += unit * count
		lit = i
	}
	if lit < len(line) || len(out) == 0 {
		out = append(out, scenario.Part{Text: string(line[lit:])})
	}
	return out
}

// longestRun finds the unit (1 to maxUnit bytes) whose repetitions cover
// the most of data's start, at least minRun bytes; 0 when there is none.
func longestRun(data []byte) (unit, count int) {
	best := 0
	for u := 1; u <= maxUnit && 2*u <= len(data); u++ {
		n := 1
		for (n+1)*u <= len(data) && bytes.Equal(data[n*u:(n+1)*u], data[:u]) {
			n++
		}
		if n*u >= minRun && n*u > best {
			best, unit, count = n*u, u, n
		}
	}
	return unit, count
}
