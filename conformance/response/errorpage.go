package response

import (
	"regexp"
	"strconv"
	"strings"
)

// ErrorPage is the structure of an error page, whatever its markup: every
// implementation writes its own HTML around the same four texts.
type ErrorPage struct {
	// Title is the text of the first <title>, trimmed.
	Title string
	// H1 is the text of the first <h1>, trimmed.
	H1 string
	// H2 is the text of the first <h2>, trimmed.
	H2 string
	// Message is the text of the first <p> after the h2, trimmed of ASCII
	// white space only: upstream inserts str(error) unescaped, so any other
	// byte in it is part of the message.
	Message string
	// Missing lists the elements not found, in document order.
	Missing []string
}

var (
	titleRE = regexp.MustCompile(`(?is)<title(?:\s[^>]*)?>(.*?)</title\s*>`)
	h1RE    = regexp.MustCompile(`(?is)<h1(?:\s[^>]*)?>(.*?)</h1\s*>`)
	h2RE    = regexp.MustCompile(`(?is)<h2(?:\s[^>]*)?>(.*?)</h2\s*>`)
	pRE     = regexp.MustCompile(`(?is)<p(?:\s[^>]*)?>(.*?)</p\s*>`)
)

// asciiSpace is the white space trimmed around error-page texts.
const asciiSpace = " \t\r\n\f\v"

// ParseErrorPage extracts the texts of an error page. It does not fail:
// elements it cannot find are listed in Missing.
func ParseErrorPage(body []byte) ErrorPage {
	var p ErrorPage
	s := string(body)
	find := func(re *regexp.Regexp, name, from string) (string, int) {
		m := re.FindStringSubmatchIndex(from)
		if m == nil {
			p.Missing = append(p.Missing, name)
			return "", -1
		}
		return strings.Trim(from[m[2]:m[3]], asciiSpace), m[1]
	}
	p.Title, _ = find(titleRE, "title", s)
	p.H1, _ = find(h1RE, "h1", s)
	var after int
	p.H2, after = find(h2RE, "h2", s)
	if after < 0 {
		after = 0
	}
	p.Message, _ = find(pRE, "p", s[after:])
	return p
}

// ErrorPageTitle returns the title an error page with code must have.
func ErrorPageTitle(code int) string { return "EuroPi Error " + strconv.Itoa(code) }

// ErrorPageH1 is the heading every error page has.
const ErrorPageH1 = "EuroPi"

// ErrorPageH2 returns the h2 an error page with code and text must have.
func ErrorPageH2(code int, text string) string { return strconv.Itoa(code) + " " + text }
