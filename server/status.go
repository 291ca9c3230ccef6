package server

import "strconv"

// The status codes upstream's HttpStatus knows. A response with any other
// code fails the status-text lookup, as upstream's does.
const (
	StatusOK                  = 200
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusForbidden           = 403
	StatusNotFound            = 404
	StatusRequestTimeout      = 408
	StatusTeapot              = 418
	StatusInternalServerError = 500
	StatusNotImplemented      = 501
)

// statusText is upstream's HttpStatus.StatusText table.
var statusText = map[int]string{
	StatusOK:                  "OK",
	StatusBadRequest:          "Bad Request",
	StatusUnauthorized:        "Unauthorized",
	StatusForbidden:           "Forbidden",
	StatusNotFound:            "Not Found",
	StatusRequestTimeout:      "Request Timeout",
	StatusTeapot:              "I'm a teapot",
	StatusInternalServerError: "Internal Server Error",
	StatusNotImplemented:      "Not Implemented",
}

// StatusText returns the reason phrase upstream sends for code, and false
// when upstream's table has no entry for it.
func StatusText(code int) (string, bool) {
	text, ok := statusText[code]
	return text, ok
}

// StatusCodes returns the codes upstream knows, in ascending order.
func StatusCodes() []int {
	return []int{
		StatusOK, StatusBadRequest, StatusUnauthorized, StatusForbidden, StatusNotFound,
		StatusRequestTimeout, StatusTeapot, StatusInternalServerError, StatusNotImplemented,
	}
}

// The MIME names upstream's MimeTypes offers. Note JSON is text/json, not
// application/json: upstream's choice, copied.
const (
	MimeCSV  = "text/csv"
	MimeHTML = "text/html"
	MimeJSON = "text/json"
	MimeText = "text/plain"
	MimeXML  = "text/xml"
	MimeYAML = "text/yaml"
)

// UnknownStatusError is the error a Send* call returns for a status code
// upstream's table lacks. Upstream raises KeyError(code) there, whose text
// is just the number, so the client gets a 500 page saying "201".
type UnknownStatusError struct {
	// Status is the code that was not in the table.
	Status int
}

// Error returns the code as decimal digits, as str(KeyError(code)) does.
func (e *UnknownStatusError) Error() string { return strconv.Itoa(e.Status) }
