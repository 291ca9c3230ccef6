package dashboard

import "strings"

const hexDigits = "0123456789abcdef"

// Escape renders raw wire bytes as readable text that still shows every
// byte: printable ASCII as itself, \r \n \t and \\ as escapes, anything
// else as \xNN. After each \n escape a real line break follows, so a
// request or response reads line by line while its CRLFs (and the
// device's bare "charset=utf-8" line) stay visible.
func Escape(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c == '\\':
			sb.WriteString(`\\`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString("\\n\n")
		case c == '\t':
			sb.WriteString(`\t`)
		case c >= ' ' && c <= '~':
			sb.WriteByte(c)
		default:
			sb.WriteString(`\x`)
			sb.WriteByte(hexDigits[c>>4])
			sb.WriteByte(hexDigits[c&0xf])
		}
	}
	return sb.String()
}
