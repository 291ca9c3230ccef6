package server

import (
	"errors"
	"strconv"
	"strings"

	"github.com/europi-http/europi-http/pyrt"
)

// installFixture registers the Go twin of the conformance fixture
// (conformance/fixture/ROUTES.md) on s, so the fidelity tests can send the
// same bytes to it and to upstream running fixture.py.
func installFixture(s *HttpServer) {
	s.GetHandler(func(request string, conn *Conn) error {
		path := fixturePath(request)
		switch {
		case path == "/":
			return s.SendHTML(conn, "<!DOCTYPE html><html><head><title>EuroPi fixture</title></head><body><h1>EuroPi fixture</h1></body></html>", 0, nil)
		case path == "/html":
			return s.SendHTML(conn, "<!DOCTYPE html><html><body><p>EuroPi \u2014 gr\u00fc\u00df dich</p></body></html>", 0, nil)
		case path == "/text":
			return s.SendResponse(conn, "plain text from EuroPi\n", 0, MimeText, nil)
		case path == "/json":
			return s.SendJSON(conn, pyrt.JSONObject{
				{Key: "name", Value: "EuroPi"}, {Key: "cvs", Value: 6}, {Key: "volts", Value: 2.5},
				{Key: "ok", Value: true}, {Key: "none", Value: nil}, {Key: "list", Value: []any{1, 2, 3}},
				{Key: "unicode", Value: "\u00fc"},
			}, nil)
		case path == "/csv":
			return s.SendResponse(conn, "cv,volts\r\ncv1,0.0\r\ncv2,5.0\r\n", 0, MimeCSV, nil)
		case path == "/yaml":
			return s.SendResponse(conn, "name: EuroPi\ncvs: 6\n", 0, MimeYAML, nil)
		case path == "/xml":
			return s.SendResponse(conn, `<?xml version="1.0"?><europi cvs="6"/>`, 0, MimeXML, nil)
		case path == "/headers":
			return s.SendResponse(conn, "headers", 0, MimeText, Headers{{"X-One", "1"}, {"Cache-Control", "no-store"}})
		case digitsAfter(path, "/status/") != "":
			d := digitsAfter(path, "/status/")
			code, _ := strconv.Atoi(d)
			if code == 0 {
				// To SendResponse 0 means the default status; upstream's
				// table has no 0, so its lookup raises KeyError: 0.
				return &UnknownStatusError{Status: 0}
			}
			return s.SendResponse(conn, "status "+d, code, MimeText, nil)
		case digitsAfter(path, "/error/") != "":
			d := digitsAfter(path, "/error/")
			code, _ := strconv.Atoi(d)
			return s.SendErrorPage(errors.New("fixture error "+d), conn, code, nil)
		case path == "/teapot":
			return s.SendErrorPage(errors.New("We're out of coffee!"), conn, StatusTeapot, nil)
		case path == "/escape":
			return s.SendErrorPage(errors.New("<b>not escaped</b> & raw"), conn, StatusBadRequest, nil)
		case path == "/raise":
			return errors.New("fixture raised")
		case path == "/notimpl":
			return &NotImplementedError{Message: "fixture not implemented"}
		case path == "/default":
			return s.DefaultRequestHandler(request, conn)
		case path == "/silent":
			return nil
		case path == "/twice":
			if err := s.SendResponse(conn, "first", 0, MimeText, nil); err != nil {
				return err
			}
			return s.SendResponse(conn, "second", 0, MimeText, nil)
		case path == "/partial":
			if err := s.SendResponse(conn, "partial", 0, MimeText, nil); err != nil {
				return err
			}
			return errors.New("after partial")
		case path == "/echo":
			return s.SendResponse(conn, request, 0, MimeText, nil)
		case digitsAfter(path, "/big/") != "" && len(digitsAfter(path, "/big/")) <= 6:
			n, _ := strconv.Atoi(digitsAfter(path, "/big/"))
			body := strings.Repeat("0123456789", n/10+1)[:n]
			return s.SendResponse(conn, body, 0, MimeText, nil)
		}
		return s.SendErrorPage(errors.New("No route for "+path), conn, StatusNotFound, nil)
	})
	s.PostHandler(func(request string, conn *Conn) error {
		switch path := fixturePath(request); path {
		case "/echo":
			return s.SendResponse(conn, request, 0, MimeText, nil)
		case "/json":
			_, body, _ := strings.Cut(request, "\r\n\r\n")
			data, err := s.Runtime.LoadJSON(body)
			if err != nil {
				return s.SendErrorPage(err, conn, StatusBadRequest, nil)
			}
			return s.SendJSON(conn, pyrt.JSONObject{{Key: "received", Value: data}}, nil)
		case "/raise":
			return errors.New("fixture raised")
		default:
			return s.SendErrorPage(errors.New("No route for "+path), conn, StatusNotFound, nil)
		}
	})
}

// fixturePath is the fixture's path rule: the second space-separated word
// of the first line, "/" if there is none, without its query.
func fixturePath(request string) string {
	line, _, _ := strings.Cut(request, "\r\n")
	parts := strings.Split(line, " ")
	path := "/"
	if len(parts) > 1 {
		path = parts[1]
	}
	path, _, _ = strings.Cut(path, "?")
	return path
}

// digitsAfter returns the rest of path after prefix when it is all digits.
func digitsAfter(path, prefix string) string {
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" {
		return ""
	}
	return rest
}
