package profile

import (
	"bytes"
	"strconv"
	"strings"
)

// maxLineLen keeps a garbage request line from flooding a log line.
const maxLineLen = 200

// requestComplete reports whether b holds a whole HTTP request: the header
// block up to its blank line and, if it names one, Content-Length bytes of
// body. It is what the patched firmware's read loop waits for.
func requestComplete(b []byte) bool {
	end := bytes.Index(b, []byte("\r\n\r\n"))
	if end >= 0 {
		end += 4
	} else if end = bytes.Index(b, []byte("\n\n")); end >= 0 {
		end += 2
	} else {
		return false
	}
	return len(b)-end >= contentLength(b[:end])
}

// contentLength returns the Content-Length a header block names, or 0 if
// it names none or a value that is not a non-negative number.
func contentLength(header []byte) int {
	for line := range strings.SplitSeq(string(header), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	return 0
}

// firstLine returns b's first line as valid UTF-8, cut at maxLineLen.
func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	s := strings.ToValidUTF8(strings.TrimRight(string(line), "\r"), "\uFFFD")
	if len(s) > maxLineLen {
		s = strings.ToValidUTF8(s[:maxLineLen], "") + "…"
	}
	return s
}
