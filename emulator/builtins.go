package emulator

import (
	"errors"
	"fmt"
	"strings"

	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// failError is what fail() raises: its text is exactly the message, as
// str(err) of a Python exception is, without Starlark's "fail: " prefix.
type failError struct{ msg string }

func (e *failError) Error() string { return e.msg }

// fail is fail(*args, sep=" "), Starlark's own, except that the message
// has no "fail: " prefix, so the 500 page shows what upstream's str(err)
// would.
func fail(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sep := " "
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, "sep?", &sep); err != nil {
		return nil, err
	}
	if err := checkText(thread, b.Name()+"()", true, args...); err != nil {
		return nil, err
	}
	parts := make([]string, len(args))
	for i, v := range args {
		if s, ok := starlark.AsString(v); ok {
			parts[i] = s
		} else {
			parts[i] = v.String()
		}
	}
	return nil, &failError{msg: strings.Join(parts, sep)}
}

// notImplemented is NotImplementedError(msg=""): calling it raises the
// error that gives the 501 page with msg, as `raise NotImplementedError(msg)`
// does upstream.
func notImplemented(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var msg starlark.Value = starlark.String("")
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &msg); err != nil {
		return nil, err
	}
	if err := checkText(thread, b.Name(), true, msg); err != nil {
		return nil, err
	}
	return nil, &server.NotImplementedError{Message: pyStr(msg, threadRuntime(thread))}
}

// catch is catch(fn, *args, **kwargs), the stand-in for try/except: it
// calls fn and returns (result, None), or (None, message) if fn failed,
// where message is what str(err) would give. Running out of steps or
// memory, an internal error (a Go panic) or being stopped is not caught.
func catch(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%s: missing argument for fn", b.Name())
	}
	fn := args[0]
	if _, ok := fn.(starlark.Callable); !ok {
		return nil, fmt.Errorf("%s: fn must be callable, not %s", b.Name(), pyTypeName(fn))
	}
	result, err := starlark.Call(thread, fn, args[1:], kwargs)
	if err == nil {
		return starlark.Tuple{result, starlark.None}, nil
	}
	if e, envErr := threadEnv(thread); envErr == nil && e.cancelled() {
		return nil, err
	}
	return starlark.Tuple{starlark.None, starlark.String(errorText(err))}, nil
}

// errorText is the message of err without Starlark's call-stack framing.
func errorText(err error) string {
	var eval *starlark.EvalError
	if errors.As(err, &eval) {
		return eval.Msg
	}
	return err.Error()
}

// maxLoadFile is the largest file load_file reads; a Pico W's whole flash
// is 2 MB.
const maxLoadFile = 1 << 20

// loadFile is load_file(name): the text of a file in the script's folder
// (or the example's embedded folder). Absolute paths and any ".." are
// refused, and symbolic links may not lead out of the folder either.
func loadFile(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	e, err := threadEnv(thread)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	clean, err := sandboxPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	data, err := e.script.files.read(clean)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	if e.loading {
		e.script.watch(clean, data)
	}
	return starlark.String(data), nil
}
