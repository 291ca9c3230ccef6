package emulator

import (
	"fmt"
	"runtime/debug"

	"go.starlark.net/starlark"
)

// panicError is a Go panic raised while a script ran, in the interpreter
// or in a builtin, turned into an error: a script must not be able to
// crash the emulator, however it upsets the code under it.
type panicError struct {
	// where names what panicked: "list()", or "the Starlark interpreter"
	// when it is not known more closely.
	where string
	value any
	stack []byte
}

func newPanicError(where string, value any) *panicError {
	return &panicError{where: where, value: value, stack: debug.Stack()}
}

// Error is the message the 500 page or the load error shows.
func (e *panicError) Error() string {
	return fmt.Sprintf("internal error in %s: %v", e.where, e.value)
}

// interpreterPanic names a panic caught around a whole load or handler
// call, where the script's position is lost.
const interpreterPanic = "the Starlark interpreter"

// recoverBuiltin, deferred by a builtin, turns its panic into *err, so the
// interpreter reports it at the script's position like any error. It
// logs the Go stack and stops the run: catch() does not swallow it.
func recoverBuiltin(thread *starlark.Thread, name string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	p := newPanicError(name+"()", r)
	if e, envErr := threadEnv(thread); envErr == nil {
		e.stopped = true
		e.logger.Printf("%s: %v\n%s", e.script.name, p, p.stack)
	}
	*err = p
}
