package emulator

import (
	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// HttpStatus is the Starlark namespace `HttpStatus`, upstream's class of
// the status codes the server knows:
//
//	HttpStatus.OK                     200
//	HttpStatus.BAD_REQUEST            400
//	HttpStatus.UNAUTHORIZED           401
//	HttpStatus.FORBIDDEN              403
//	HttpStatus.NOT_FOUND              404
//	HttpStatus.REQUEST_TIMEOUT        408
//	HttpStatus.TEAPOT                 418
//	HttpStatus.INTERNAL_SERVER_ERROR  500
//	HttpStatus.NOT_IMPLEMENTED        501
//	HttpStatus.StatusText             a frozen dict from code to reason phrase
//
// Sending any other code fails as it does upstream: the client gets the 500
// page with the number.
var HttpStatus = newHttpStatus()

func newHttpStatus() *starlarkstruct.Module {
	names := map[int]string{
		server.StatusOK:                  "OK",
		server.StatusBadRequest:          "BAD_REQUEST",
		server.StatusUnauthorized:        "UNAUTHORIZED",
		server.StatusForbidden:           "FORBIDDEN",
		server.StatusNotFound:            "NOT_FOUND",
		server.StatusRequestTimeout:      "REQUEST_TIMEOUT",
		server.StatusTeapot:              "TEAPOT",
		server.StatusInternalServerError: "INTERNAL_SERVER_ERROR",
		server.StatusNotImplemented:      "NOT_IMPLEMENTED",
	}
	members := starlark.StringDict{}
	text := starlark.NewDict(len(names))
	for _, code := range server.StatusCodes() {
		members[names[code]] = starlark.MakeInt(code)
		reason, _ := server.StatusText(code)
		_ = text.SetKey(starlark.MakeInt(code), starlark.String(reason))
	}
	members["StatusText"] = text
	m := &starlarkstruct.Module{Name: "HttpStatus", Members: members}
	m.Freeze()
	return m
}

// MimeTypes is the Starlark namespace `MimeTypes`, upstream's content
// types: CSV "text/csv", HTML "text/html", JSON "text/json" (sic),
// TEXT "text/plain", XML "text/xml", YAML "text/yaml".
var MimeTypes = &starlarkstruct.Module{Name: "MimeTypes", Members: starlark.StringDict{
	"CSV":  starlark.String(server.MimeCSV),
	"HTML": starlark.String(server.MimeHTML),
	"JSON": starlark.String(server.MimeJSON),
	"TEXT": starlark.String(server.MimeText),
	"XML":  starlark.String(server.MimeXML),
	"YAML": starlark.String(server.MimeYAML),
}}
