package response

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// teapotBody is an error page whose message holds markup and a NUL byte.
const teapotBody = "<!doctype html><html><head><TITLE>EuroPi Error 418</TITLE><style>h1{}</style></head>" +
	"<body><p>intro</p><h1 class=\"x\">EuroPi</h1><h2>\n  418 I'm a teapot\n</h2><p>\n  We're out of <b>coffee</b>! \x00\n</p></body></html>"

func TestParseErrorPage(t *testing.T) {
	p := ParseErrorPage([]byte(teapotBody))
	assert.Equal(t, ErrorPage{Title: "EuroPi Error 418", H1: "EuroPi", H2: "418 I'm a teapot", Message: "We're out of <b>coffee</b>! \x00"}, p)

	p = ParseErrorPage([]byte("<h2>x</h2>"))
	assert.Equal(t, []string{"title", "h1", "p"}, p.Missing)

	// The paragraph is the first one after the h2, never one before it.
	p = ParseErrorPage([]byte("<p>before</p><h2>x</h2><pre>no</pre><p class=m> after </p>"))
	assert.Equal(t, "after", p.Message)

	// Non-ASCII white space belongs to the message.
	p = ParseErrorPage([]byte("<h2>x</h2><p>\n \u00a0GET\n</p>"))
	assert.Equal(t, "\u00a0GET", p.Message)
}
