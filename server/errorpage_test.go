package server

import (
	"regexp"
	"strings"
)

// errorPageParts is an error page's structure, which is what must match
// upstream's page (the markup is each implementation's own).
type errorPageParts struct {
	Title, Heading, Status, Message string
}

var (
	titleRe = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	h1Re    = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
	h2Re    = regexp.MustCompile(`(?s)<h2>(.*?)</h2>`)
	pRe     = regexp.MustCompile(`(?s)<p>(.*?)</p>`)
)

// parseErrorPage extracts the structure from a page, trimming the white
// space around each part as a browser would show it.
func parseErrorPage(page string) errorPageParts {
	find := func(re *regexp.Regexp) string {
		m := re.FindStringSubmatch(page)
		if m == nil {
			return "<missing>"
		}
		return strings.TrimSpace(m[1])
	}
	return errorPageParts{Title: find(titleRe), Heading: find(h1Re), Status: find(h2Re), Message: find(pRe)}
}
