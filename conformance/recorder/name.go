package recorder

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// maxSlug caps each part of a scenario name, so a long path cannot make a
// file name the file system refuses.
const maxSlug = 40

// requestLine returns the first line of what the client sent, without its
// line end, or "" when it sent nothing.
func requestLine(sent []byte) string {
	line := sent
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return strings.TrimSuffix(string(line), "\r")
}

// methodAndPath splits a request line the way upstream does (on single
// spaces) and drops the query from the path.
func methodAndPath(line string) (method, path string) {
	parts := strings.SplitN(line, " ", 3)
	method = parts[0]
	if len(parts) > 1 {
		path, _, _ = strings.Cut(parts[1], "?")
	}
	return method, path
}

// ID returns the scenario ID of connection seq that sent sent: the number,
// then the method and path as lower-case letters, digits and dashes
// ("0007-post-json", "0001-get-index"). Nothing else survives, so an ID is
// always one plain file name; the number keeps IDs unique and sorts them
// in the order the connections came.
func ID(seq int, sent []byte) string {
	parts := []string{fmt.Sprintf("%04d", seq)}
	switch method, path := methodAndPath(requestLine(sent)); {
	case len(sent) == 0:
		parts = append(parts, "no-request")
	default:
		m := slug(method)
		if m == "" {
			m = "raw"
		}
		parts = append(parts, m)
		if p := slug(path); p != "" {
			parts = append(parts, p)
		} else if path == "/" {
			parts = append(parts, "index")
		}
	}
	return strings.Join(parts, "-")
}

// slug keeps ASCII letters (lower-cased) and digits and turns every other
// run of bytes into one dash, trimmed at both ends and capped at maxSlug.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(s) && b.Len() < 2*maxSlug; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteByte(c)
	}
	out := b.String()
	if len(out) > maxSlug {
		out = out[:maxSlug]
	}
	return strings.TrimRight(out, "-")
}

// printable returns s as is when it is printable ASCII, else Go-quoted, so
// a summary line or a description shows control bytes instead of
// sending them to a terminal.
func printable(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return strconv.Quote(s)
		}
	}
	return s
}

// cut shortens s to at most n bytes, marking the cut with "...".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
