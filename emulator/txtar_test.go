package emulator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/server"
)

// decodeWire reads a request or response section: each line is the inside
// of a Go string literal ("\r\n" spelt out) except that double quotes need
// no backslash, and the file's own line breaks are not part of the data.
func decodeWire(section string) ([]byte, error) {
	var out []byte
	for i, line := range strings.Split(strings.TrimSuffix(section, "\n"), "\n") {
		if code, msg, ok := parseErrorPageMarker(line); ok {
			text, _ := server.StatusText(code)
			out = append(out, server.ErrorPage(code, text, msg)...)
			continue
		}
		var quoted strings.Builder
		for j := 0; j < len(line); j++ {
			switch {
			case line[j] == '\\' && j+1 < len(line):
				quoted.WriteString(line[j : j+2])
				j++
			case line[j] == '"':
				quoted.WriteString(`\"`)
			default:
				quoted.WriteByte(line[j])
			}
		}
		s, err := strconv.Unquote(`"` + quoted.String() + `"`)
		if err != nil {
			return nil, fmt.Errorf("line %d: %q: %v", i+1, line, err)
		}
		out = append(out, s...)
	}
	return out, nil
}

// encodeWire writes data in decodeWire's form, one line per "\n", with
// each of the core's error pages as one marker line
// "{{error page CODE: message}}", so the cases do not depend on the
// page's markup.
func encodeWire(data []byte) string {
	var b strings.Builder
	rest := string(data)
	for rest != "" {
		start, end, code, msg := findErrorPage(rest)
		if start < 0 {
			encodeLines(&b, rest)
			break
		}
		encodeLines(&b, rest[:start])
		b.WriteString(markerPrefix + strconv.Itoa(code) + ": " + quoteInline(msg) + "}}\n")
		rest = rest[end:]
	}
	return b.String()
}

const markerPrefix = "{{error page "

// parseErrorPageMarker reads a marker line written by encodeWire.
func parseErrorPageMarker(line string) (int, string, bool) {
	body, ok := strings.CutPrefix(line, markerPrefix)
	if !ok || !strings.HasSuffix(body, "}}") {
		return 0, "", false
	}
	num, msg, ok := strings.Cut(strings.TrimSuffix(body, "}}"), ": ")
	code, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, "", false
	}
	decoded, err := decodeWire(msg)
	if err != nil {
		return 0, "", false
	}
	return code, string(decoded), true
}

// findErrorPage finds the first error page in s and returns where it
// starts and ends, its code and its message.
func findErrorPage(s string) (start, end, code int, msg string) {
	start = -1
	for _, c := range server.StatusCodes() {
		text, _ := server.StatusText(c)
		prefix, suffix, _ := strings.Cut(server.ErrorPage(c, text, "\x00"), "\x00")
		i := strings.Index(s, prefix)
		if i < 0 || (start >= 0 && i >= start) {
			continue
		}
		j := strings.Index(s[i+len(prefix):], suffix)
		if j < 0 {
			continue
		}
		start, code, msg = i, c, s[i+len(prefix):i+len(prefix)+j]
		end = i + len(prefix) + j + len(suffix)
	}
	return start, end, code, msg
}

// encodeLines writes s in decodeWire's quoting, one line per "\n".
func encodeLines(b *strings.Builder, s string) {
	for _, part := range strings.SplitAfter(s, "\n") {
		if part != "" {
			b.WriteString(quoteInline(part))
			b.WriteByte('\n')
		}
	}
}

// quoteInline quotes s as decodeWire reads it: Go's escapes, bare double
// quotes.
func quoteInline(s string) string {
	var b strings.Builder
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	for j := 0; j < len(q); j++ {
		if q[j] == '\\' && j+1 < len(q) {
			if q[j+1] != '"' {
				b.WriteByte('\\')
			}
			b.WriteByte(q[j+1])
			j++
			continue
		}
		b.WriteByte(q[j])
	}
	return b.String()
}
