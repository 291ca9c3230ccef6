package upstream

import (
	"bytes"
	"io"
	"strings"
)

// maxLine caps how much of one unterminated line is buffered, so a process
// that writes without newlines cannot grow memory without bound.
const maxLine = 64 << 10

// lineWriter receives a process's output stream (exec copies into it from
// one goroutine) and hands each complete line to onLine, without its line
// ending.
type lineWriter struct {
	onLine  func(line string)
	copyTo  io.Writer
	partial []byte
}

// Write implements io.Writer. It never fails: the process's output must be
// drained whatever happens to the copy, or the process would block.
func (w *lineWriter) Write(p []byte) (int, error) {
	if w.copyTo != nil {
		_, _ = w.copyTo.Write(p)
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.onLine(strings.TrimSuffix(string(w.partial[:i]), "\r"))
		w.partial = w.partial[i+1:]
	}
	if len(w.partial) > maxLine {
		w.onLine(string(w.partial))
		w.partial = nil
	}
	return len(p), nil
}

// flush hands over a last line that had no line ending.
func (w *lineWriter) flush() {
	if len(w.partial) > 0 {
		w.onLine(string(w.partial))
		w.partial = nil
	}
}

// tail keeps the last lines of a stream for error messages.
type tail struct {
	lines []string
}

const (
	tailLines   = 30
	tailLineMax = 500
)

func (t *tail) add(line string) {
	if len(line) > tailLineMax {
		line = line[:tailLineMax] + "…"
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > tailLines {
		t.lines = t.lines[len(t.lines)-tailLines:]
	}
}

// String formats the tail for the end of an error message.
func (t *tail) String() string {
	if len(t.lines) == 0 {
		return "\n(stderr was empty)"
	}
	return "\nstderr tail:\n  " + strings.Join(t.lines, "\n  ")
}
