package emulator

import (
	"context"

	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// The handlers' keyword names, made into values once rather than per call.
var kwRequest, kwConnection starlark.Value = starlark.String("request"), starlark.String("connection")

// handlerCall is what one handler call needs besides the script: its
// environment, its thread and watch, and its keyword arguments. Handler
// calls run one at a time, so one handlerCall serves them all in turn: a
// call allocates no thread, frames, environment or argument slices, which
// is most of what running a handler cost the serving loop. A call whose
// thread was cancelled (a limit, a panic, shutdown) retires it.
type handlerCall struct {
	env  env
	run  *runWatch
	args [2]starlark.Tuple
	vals [4]starlark.Value
}

func newHandlerCall() *handlerCall {
	hc := &handlerCall{}
	hc.run = newRunWatch(&hc.env)
	return hc
}

// begin readies the environment for a call of sc's handler answering on
// srv, and returns it.
func (hc *handlerCall) begin(ctx context.Context, e *Emulator, srv *server.HttpServer, sc *script) *env {
	env := &hc.env
	env.ctx, env.io, env.runtime, env.logger = ctx, e.io, e.cfg.Runtime, e.logger
	env.script, env.srv, env.loading = sc, srv, false
	return env
}

// kwargs returns the handler's arguments, request= and connection=, in
// slices the call owns until end.
func (hc *handlerCall) kwargs(request string, c *connection) []starlark.Tuple {
	hc.vals = [4]starlark.Value{kwRequest, starlark.String(request), kwConnection, c}
	hc.args = [2]starlark.Tuple{hc.vals[0:2:2], hc.vals[2:4:4]}
	return hc.args[:]
}

// end drops what the call referred to, so the next call does not keep it
// reachable, and reports whether the thread must be retired.
func (hc *handlerCall) end() (retire bool) {
	retire = hc.env.cancelled()
	hc.vals = [4]starlark.Value{}
	hc.env.script, hc.env.srv, hc.env.ctx = nil, nil, nil
	return retire
}
