package server

import (
	"strconv"
	"strings"
	"text/template"
)

// Header is one extra response header. Upstream writes it as Key=Value,
// with no colon.
type Header struct {
	// Key is the header's name.
	Key string
	// Value is the header's value, written as is.
	Value string
}

// Headers is an ordered set of extra headers, written in the order given as
// upstream writes a dict's items in iteration order.
type Headers []Header

// SendResponse sends a response with upstream's header block and closes
// nothing (the server closes the connection when the handler returns).
// Status 0 means StatusOK and contentType "" means MimeHTML, upstream's
// defaults. A status upstream's table lacks sends nothing and returns an
// *UnknownStatusError.
func (s *HttpServer) SendResponse(conn *Conn, response string, status int, contentType string, headers Headers) error {
	if conn.raised != nil {
		return conn.raised
	}
	if status == 0 {
		status = StatusOK
	}
	if contentType == "" {
		contentType = MimeHTML
	}
	text, ok := StatusText(status)
	if !ok {
		return conn.raise(&UnknownStatusError{Status: status})
	}
	if conn.status == 0 {
		conn.status = status
	}
	// One buffer holds both, so the body is copied once and the request
	// log can keep the response without copying it again.
	size := headerBlockSize(contentType, headers) + len(response)
	var buf []byte
	if size <= maxPooledSend {
		// A reused buffer, given back after the sends unless the request
		// log keeps it.
		pooled := sendBuffers.Get().(*[]byte)
		buf = (*pooled)[:0]
		defer func() {
			if !conn.keptBuffer(buf) {
				*pooled = buf[:0]
				sendBuffers.Put(pooled)
			}
		}()
	} else {
		buf = make([]byte, 0, size)
	}
	buf = appendHeaderBlock(buf, status, text, contentType, headers)
	split := len(buf)
	buf = append(buf, response...)
	if _, err := conn.send(buf[:split], true); err != nil {
		return conn.raise(err)
	}
	// Quirk: the header block and the body go out in two send() calls.
	if _, err := conn.send(buf[split:], true); err != nil {
		return conn.raise(err)
	}
	return nil
}

// headerBlockSize is a header block's length, give or take the status
// line's few bytes: enough to size its buffer.
func headerBlockSize(contentType string, headers Headers) int {
	n := 64 + len(contentType)
	for _, h := range headers {
		n += len(h.Key) + len(h.Value) + 3
	}
	return n
}

// headerBlock builds upstream's header block byte for byte.
func headerBlock(status int, text, contentType string, headers Headers) []byte {
	return appendHeaderBlock(nil, status, text, contentType, headers)
}

// appendHeaderBlock appends upstream's header block to b.
func appendHeaderBlock(b []byte, status int, text, contentType string, headers Headers) []byte {
	// Quirk: always HTTP/1.0, whatever version the request named.
	b = append(b, "HTTP/1.0 "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = append(b, text...)
	// Quirk: "Content-type" with a lower-case t, and the charset on a line
	// of its own with no colon, so strict clients reject the response.
	b = append(b, "\r\nContent-type: "...)
	b = append(b, contentType...)
	b = append(b, "\r\ncharset=utf-8"...)
	for _, h := range headers {
		// Quirk: extra headers are written Key=Value, not "Key: Value".
		b = append(b, "\r\n"...)
		b = append(b, h.Key...)
		b = append(b, '=')
		b = append(b, h.Value...)
	}
	// Quirk: no Content-Length; the body ends when the server closes.
	return append(b, "\r\n\r\n"...)
}

// SendHTML sends an HTML document, as send_html does. Status 0 means
// StatusOK.
func (s *HttpServer) SendHTML(conn *Conn, htmlPage string, status int, headers Headers) error {
	return s.SendResponse(conn, htmlPage, status, MimeHTML, headers)
}

// SendJSON sends data as json.dumps writes it on the server's Runtime, with
// status 200 and upstream's text/json type. See pyrt.Runtime.DumpJSON for the
// values data may hold.
func (s *HttpServer) SendJSON(conn *Conn, data any, headers Headers) error {
	if conn.raised != nil {
		return conn.raised
	}
	body, err := s.Runtime.DumpJSON(data)
	if err != nil {
		return conn.raise(err)
	}
	return s.SendResponse(conn, body, StatusOK, MimeJSON, headers)
}

// SendErrorPage sends the server's error page for status, showing err's
// text unescaped as upstream does. Status 0 means
// StatusInternalServerError. A nil err shows "None", as str(None) would.
func (s *HttpServer) SendErrorPage(err error, conn *Conn, status int, headers Headers) error {
	if conn.raised != nil {
		return conn.raised
	}
	if status == 0 {
		status = StatusInternalServerError
	}
	text, ok := StatusText(status)
	if !ok {
		return conn.raise(&UnknownStatusError{Status: status})
	}
	message := "None"
	if err != nil {
		message = err.Error()
	}
	return s.SendHTML(conn, ErrorPage(status, text, message), status, headers)
}

// errorPage is the project's own error page. It has upstream's structure
// (title "EuroPi Error <code>", h1 "EuroPi", h2 "<code> <text>", one
// paragraph with the message) and its own markup.
var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html>
<head>
<title>EuroPi Error {{.Code}}</title>
<style>
body { font-family: sans-serif; text-align: center; margin-top: 12vh; color: #222; }
h1 { font-weight: 300; letter-spacing: 0.6em; }
h2 { font-size: 2.4em; margin: 0.4em 0; }
p { font-size: 1.3em; color: #555; }
</style>
</head>
<body>
<h1>EuroPi</h1>
<h2>{{.Code}} {{.Text}}</h2>
<p>{{.Message}}</p>
</body>
</html>
`))

// ErrorPage renders the error page for code, its status text and message.
// Quirk: the message is inserted without HTML escaping, as upstream's
// str.format does, so "<b>" in a message is markup on the page. Like
// upstream's page it declares no charset: a browser shows non-ASCII
// messages garbled, as on the device.
func ErrorPage(code int, text, message string) string {
	var b strings.Builder
	_ = errorPage.Execute(&b, struct {
		Code    int
		Text    string
		Message string
	}{code, text, message})
	return b.String()
}
