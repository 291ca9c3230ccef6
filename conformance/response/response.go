package response

import "bytes"

// Response is a connection's bytes cut where upstream's responses have their
// parts. There is no Content-Length: the body is everything after the first
// blank line, up to the end of the connection.
type Response struct {
	// Raw is every byte received.
	Raw []byte
	// Status is the first line with its CRLF (all of Raw when no CRLF came).
	Status []byte
	// Header is the header lines and the blank line that ends them; when
	// the blank line never came it is whatever followed the status line.
	Header []byte
	// Body is everything after the blank line.
	Body []byte
	// Complete is true when the blank line ending the header block came.
	Complete bool
	// Cut counts the bytes received after Raw that were not kept
	// (ConnCapture.Cut): the response goes on for that many more.
	Cut int
}

// crlf and blankLine are the separators of upstream's head.
var (
	crlf      = []byte("\r\n")
	blankLine = []byte("\r\n\r\n")
)

// Split cuts raw response bytes into status line, header block and
// body.
func Split(raw []byte) Response {
	r := Response{Raw: raw}
	head := raw
	if i := bytes.Index(raw, blankLine); i >= 0 {
		head, r.Body, r.Complete = raw[:i+len(blankLine)], raw[i+len(blankLine):], true
	}
	if i := bytes.Index(head, crlf); i >= 0 {
		r.Status, r.Header = head[:i+len(crlf)], head[i+len(crlf):]
	} else {
		r.Status = head
	}
	return r
}
