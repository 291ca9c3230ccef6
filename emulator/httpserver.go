package emulator

import (
	"errors"
	"fmt"
	"sort"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// serverValue is what `HttpServer(port=80)` returns: the script's server.
// It records the handlers the script registers and sends responses through
// the Go server answering the current request, so it puts the core's exact
// bytes on the wire.
type serverValue struct {
	port int
	sc   *script
	// methods are its methods, bound once when it is made rather than at
	// every attribute access (every send in every request).
	methods map[string]*starlark.Builtin
}

// newServerValue returns the server of sc, listening on the device's port.
func newServerValue(port int, sc *script) *serverValue {
	s := &serverValue{port: port, sc: sc, methods: make(map[string]*starlark.Builtin, len(serverMethods))}
	for name, m := range serverMethods {
		s.methods[name] = starlark.NewBuiltin(name, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return m(thread, s, name, args, kwargs)
		})
	}
	return s
}

var _ starlark.HasAttrs = (*serverValue)(nil)

func (s *serverValue) Type() string          { return "HttpServer" }
func (s *serverValue) String() string        { return fmt.Sprintf("<HttpServer port=%d>", s.port) }
func (s *serverValue) Freeze()               {} // handlers may be replaced at run time, as upstream allows
func (s *serverValue) Truth() starlark.Bool  { return true }
func (s *serverValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: HttpServer") }

type serverMethod func(thread *starlark.Thread, s *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

var serverMethods = map[string]serverMethod{
	"get_handler":             registerHandler,
	"post_handler":            registerHandler,
	"send_response":           sendResponse,
	"send_html":               sendHTML,
	"send_json":               sendJSON,
	"send_error_page":         sendErrorPage,
	"default_request_handler": defaultRequestHandler,
	"check_requests":          checkRequests,
}

func (s *serverValue) Attr(name string) (starlark.Value, error) {
	if name == "port" {
		return starlark.MakeInt(s.port), nil
	}
	if b, ok := s.methods[name]; ok {
		return b, nil
	}
	return nil, nil
}

func (s *serverValue) AttrNames() []string {
	names := []string{"port"}
	for n := range serverMethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// newServer is the builtin `HttpServer(port=80)`. A script creates exactly
// one, while it loads; the port is the device's, not where the emulator
// listens.
func newServer(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	port := 80
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "port?", &port); err != nil {
		return nil, err
	}
	e, err := threadEnv(thread)
	if err != nil {
		return nil, fmt.Errorf("HttpServer: %v", err)
	}
	switch {
	case !e.loading:
		return nil, errors.New("HttpServer: create the server at the top level of the script, not in a handler")
	case e.script.server != nil:
		return nil, errors.New("HttpServer: the script already has a server; the emulator runs one per script")
	case port < 0 || port > 65535:
		return nil, fmt.Errorf("HttpServer: port %d is outside 0..65535", port)
	}
	e.script.server = newServerValue(port, e.script)
	return e.script.server, nil
}

// registerHandler is get_handler(func) and post_handler(func): it
// registers func and returns it, so `h = server.get_handler(h)` reads like
// the decorator it replaces.
func registerHandler(_ *starlark.Thread, s *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var h starlark.Callable
	if err := starlark.UnpackArgs(fn, args, kwargs, "func", &h); err != nil {
		return nil, err
	}
	if err := checkHandlerParams(fn, h); err != nil {
		return nil, err
	}
	h.Freeze()
	if fn == "get_handler" {
		s.sc.get = h
	} else {
		s.sc.post = h
	}
	return h, nil
}

// checkHandlerParams refuses, when it is registered rather than at the
// first request, a function that cannot take the keyword arguments request
// and connection.
func checkHandlerParams(fn string, h starlark.Callable) error {
	f, ok := h.(*starlark.Function)
	if !ok || f.HasKwargs() {
		return nil
	}
	have := map[string]bool{}
	for i := 0; i < f.NumParams(); i++ {
		name, _ := f.Param(i)
		have[name] = true
	}
	if !have["request"] || !have["connection"] {
		return fmt.Errorf("%s: %s must accept the keyword arguments request and connection (for example def %s(request=None, connection=None))", fn, f.Name(), f.Name())
	}
	return nil
}

// sendArgs holds the arguments the send_* methods share.
type sendArgs struct {
	srv     *server.HttpServer
	conn    *server.Conn
	status  int
	headers server.Headers
}

// prepare checks the connection, status and headers of a send_* call.
func prepare(thread *starlark.Thread, fn string, connV, statusV, headersV starlark.Value) (sendArgs, error) {
	e, err := threadEnv(thread)
	if err != nil {
		return sendArgs{}, fmt.Errorf("%s: %v", fn, err)
	}
	conn, err := connArg(fn, connV)
	if err != nil {
		return sendArgs{}, err
	}
	if e.srv == nil {
		return sendArgs{}, fmt.Errorf("%s: only a handler can send", fn)
	}
	a := sendArgs{srv: e.srv, conn: conn}
	if statusV != nil {
		code, ok := statusV.(starlark.Int)
		if !ok {
			return sendArgs{}, fmt.Errorf("%s: status must be an int, not %s", fn, pyTypeName(statusV))
		}
		// Quirk: an unknown code fails upstream's table lookup with
		// KeyError, whose text is just the number. The core does that for
		// codes it can hold; 0 would mean "the default" to it, and huge
		// ints do not fit.
		n, ok := code.Int64()
		switch {
		case !ok:
			return sendArgs{}, errors.New(code.String())
		case n == 0:
			return sendArgs{}, &server.UnknownStatusError{Status: 0}
		}
		a.status = int(n)
	}
	if headersV != nil && headersV != starlark.None {
		m, ok := headersV.(starlark.IterableMapping)
		if !ok {
			return sendArgs{}, fmt.Errorf("%s: headers must be a dict or None, not %s", fn, pyTypeName(headersV))
		}
		items := m.Items()
		for _, kv := range items {
			if err := checkText(thread, fn, true, kv[0], kv[1]); err != nil {
				return sendArgs{}, err
			}
		}
		for _, kv := range items {
			a.headers = append(a.headers, server.Header{Key: pyStr(kv[0], e.runtime), Value: pyStr(kv[1], e.runtime)})
		}
	}
	return a, nil
}

// The send_* methods' default arguments, made into values once.
var (
	defaultStatus      starlark.Value = starlark.MakeInt(server.StatusOK)
	defaultErrorStatus starlark.Value = starlark.MakeInt(server.StatusInternalServerError)
	htmlType           starlark.Value = starlark.String(server.MimeHTML)
)

// sendValues holds the arguments of one send_* call, unpacked into one
// allocation rather than one per argument (UnpackArgs takes their
// addresses).
type sendValues struct {
	conn, body, status, contentType, headers starlark.Value
}

// sendResponse is send_response(connection, response, status=200,
// content_type=MimeTypes.HTML, headers=None).
func sendResponse(thread *starlark.Thread, _ *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v := &sendValues{status: defaultStatus, contentType: htmlType}
	if err := starlark.UnpackArgs(fn, args, kwargs, "connection", &v.conn, "response", &v.body,
		"status?", &v.status, "content_type?", &v.contentType, "headers?", &v.headers); err != nil {
		return nil, err
	}
	return send(thread, fn, v)
}

// sendHTML is send_html(connection, html_page, status=200, headers=None).
func sendHTML(thread *starlark.Thread, _ *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v := &sendValues{status: defaultStatus, contentType: htmlType}
	if err := starlark.UnpackArgs(fn, args, kwargs, "connection", &v.conn, "html_page", &v.body,
		"status?", &v.status, "headers?", &v.headers); err != nil {
		return nil, err
	}
	return send(thread, fn, v)
}

func send(thread *starlark.Thread, fn string, v *sendValues) (starlark.Value, error) {
	response, contentType := v.body, v.contentType
	a, err := prepare(thread, fn, v.conn, v.status, v.headers)
	if err != nil {
		return nil, err
	}
	if err := checkText(thread, fn, true, contentType); err != nil {
		return nil, err
	}
	rt := threadRuntime(thread)
	body, ok := response.(starlark.String)
	if !ok {
		// Quirk: upstream sends the header block before it encodes the
		// body, so a body that is not a str leaves the header block on the
		// wire ahead of the 500 page.
		if err := a.srv.SendResponse(a.conn, "", a.status, pyStr(contentType, rt), a.headers); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("'%s' object has no attribute 'encode'", pyTypeName(response))
	}
	if err := a.srv.SendResponse(a.conn, string(body), a.status, pyStr(contentType, rt), a.headers); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// sendJSON is send_json(connection, data, headers=None): data written as
// json.dumps writes it on the emulated runtime.
func sendJSON(thread *starlark.Thread, _ *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v := &sendValues{}
	if err := starlark.UnpackArgs(fn, args, kwargs, "connection", &v.conn, "data", &v.body, "headers?", &v.headers); err != nil {
		return nil, err
	}
	data := v.body
	a, err := prepare(thread, fn, v.conn, nil, v.headers)
	if err != nil {
		return nil, err
	}
	j, err := toJSONValue(thread, data)
	if err != nil {
		return nil, err
	}
	if err := a.srv.SendJSON(a.conn, j, a.headers); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// sendErrorPage is send_error_page(error, connection, status=500,
// headers=None). error is the page's message: a string, or any value,
// shown as str() shows it.
func sendErrorPage(thread *starlark.Thread, _ *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v := &sendValues{status: defaultErrorStatus}
	if err := starlark.UnpackArgs(fn, args, kwargs, "error", &v.body, "connection", &v.conn,
		"status?", &v.status, "headers?", &v.headers); err != nil {
		return nil, err
	}
	msg := v.body
	a, err := prepare(thread, fn, v.conn, v.status, v.headers)
	if err != nil {
		return nil, err
	}
	if err := checkText(thread, fn, true, msg); err != nil {
		return nil, err
	}
	if err := a.srv.SendErrorPage(errors.New(pyStr(msg, threadRuntime(thread))), a.conn, a.status, a.headers); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// defaultRequestHandler is default_request_handler(connection=None,
// request=None): it raises the NotImplementedError that gives the 501
// page, as the handler upstream installs before any is registered.
func defaultRequestHandler(_ *starlark.Thread, _ *serverValue, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var conn, request starlark.Value
	if err := starlark.UnpackArgs(fn, args, kwargs, "connection?", &conn, "request?", &request); err != nil {
		return nil, err
	}
	return nil, &server.NotImplementedError{Message: server.DefaultHandlerMessage}
}

// checkRequests explains that there is no main loop to write.
func checkRequests(_ *starlark.Thread, _ *serverValue, fn string, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	return nil, errors.New("check_requests: the emulator serves requests itself; a script only registers handlers")
}

// threadRuntime is the runtime whose json.dumps and str() the thread's
// script copies.
func threadRuntime(thread *starlark.Thread) pyrt.Runtime {
	if e, err := threadEnv(thread); err == nil {
		return e.runtime
	}
	return pyrt.CPython
}
