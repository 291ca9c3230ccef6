// Package response reads what upstream's http_server answers: Split cuts a
// connection's bytes into status line, header block and body (there is no
// Content-Length: the body ends at EOF), and ParseErrorPage finds the texts
// of an error page by structure, whatever its markup. The conformance
// checks, the recorder and the clients report all read responses this way.
package response
