package loadgen

import (
	"bytes"
	"fmt"
	"strconv"
)

// maxHead is how much of a response is searched for the blank line that
// ends its header block. The device's blocks are under 200 bytes.
const maxHead = 64 << 10

var blankLine = []byte("\r\n\r\n")

// response accumulates one response as it is read, keeping only its header
// block: bodies are counted, not stored, so a large one costs no memory.
type response struct {
	head     []byte // the header block, then (once done) up to its blank line
	headDone bool
	body     int64 // body bytes after the blank line
	total    int64 // every byte read
}

// reset prepares r for the next response, keeping its buffer.
func (r *response) reset() {
	*r = response{head: r.head[:0]}
}

// feed adds bytes as they arrive.
func (r *response) feed(p []byte) {
	r.total += int64(len(p))
	if r.headDone {
		r.body += int64(len(p))
		return
	}
	prev := len(r.head)
	take := min(maxHead-prev, len(p))
	r.head = append(r.head, p[:take]...)
	// The blank line may straddle two reads.
	from := max(prev-len(blankLine)+1, 0)
	if i := bytes.Index(r.head[from:], blankLine); i >= 0 {
		end := from + i + len(blankLine)
		r.body = int64(len(r.head)-end) + int64(len(p)-take)
		r.head = r.head[:end]
		r.headDone = true
	}
}

// status returns the status line's code, or 0 when the first line is not
// "HTTP/x.y NNN".
func (r *response) status() int {
	line, _, _ := bytes.Cut(r.head, []byte("\r\n"))
	rest, ok := bytes.CutPrefix(line, []byte("HTTP/"))
	if !ok {
		return 0
	}
	_, rest, ok = bytes.Cut(rest, []byte(" "))
	if !ok || len(rest) < 3 || (len(rest) > 3 && rest[3] != ' ') {
		return 0
	}
	code, err := strconv.Atoi(string(rest[:3]))
	if err != nil || code < 100 {
		return 0
	}
	return code
}

// contentLength returns the Content-Length header's value, or -1 when there
// is none (the device never sends one) or it is not a number.
func (r *response) contentLength() int64 {
	for _, line := range bytes.Split(r.head, []byte("\r\n")) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
		if err != nil || n < 0 {
			return -1
		}
		return n
	}
	return -1
}

// expected returns the body length to check against: the response's own
// Content-Length, else the configured one, else -1 (unknown).
func (r *response) expected(configured int64) int64 {
	if n := r.contentLength(); n >= 0 {
		return n
	}
	if configured > 0 {
		return configured
	}
	return -1
}

// complete says whether the response, read up to the server's close, is
// whole; if not, it returns the kind and a message saying why.
func (r *response) complete(expectBody int64) (ErrorKind, error) {
	if !r.headDone {
		switch {
		case r.total == 0:
			return ShortBody, fmt.Errorf("empty response: the server closed without sending anything")
		case len(r.head) >= maxHead:
			return ShortBody, fmt.Errorf("no blank line in the first %d bytes of the response", maxHead)
		}
		return ShortBody, fmt.Errorf("the server closed after %d bytes, before the blank line ending the header block", r.total)
	}
	want := r.expected(expectBody)
	switch {
	case want < 0 || r.body == want:
		return "", nil
	case r.body < want:
		return ShortBody, fmt.Errorf("the body was cut at %d of %d bytes", r.body, want)
	}
	return Other, fmt.Errorf("the body has %d bytes, more than the %d expected", r.body, want)
}
