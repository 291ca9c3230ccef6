package emulator

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// ScriptError is why a script failed to load: a syntax error, an unknown
// name, an error raised by its top level, or a script that never creates
// its server. Its text is "file:line:col: message", the form editors
// jump to; the CLI exits with code 2 on it.
type ScriptError struct {
	// File is the script's name as given (its path, or the example's).
	File string
	// Line and Col locate the error, both from 1.
	Line, Col int
	// Msg says what is wrong.
	Msg string
	// Detail is the Starlark backtrace of a runtime error, or the list of
	// every error when the resolver found several; it may be empty.
	Detail string

	err error // what the load failed with, for Unwrap
}

// Unwrap returns the error the load failed with (a Starlark error, a
// MemoryError, a recovered panic), or nil.
func (e *ScriptError) Unwrap() error { return e.err }

// Error returns "file:line:col: message".
func (e *ScriptError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// asScriptError turns an error from loading file into a *ScriptError,
// locating it in the script itself rather than in a builtin it called.
func asScriptError(file string, err error) *ScriptError {
	var se *ScriptError
	if errors.As(err, &se) {
		return se
	}
	se = scriptErrorAt(file, err)
	se.err = err
	return se
}

func scriptErrorAt(file string, err error) *ScriptError {
	var syn syntax.Error
	var res resolve.ErrorList
	var eval *starlark.EvalError
	switch {
	case errors.As(err, &syn):
		msg := syn.Msg
		if strings.Contains(msg, "'@'") {
			msg += " (Starlark has no decorators: call server.get_handler(fn) after the def)"
		}
		return atPosition(file, syn.Pos, msg, "")
	case errors.As(err, &res):
		var all strings.Builder
		for _, e := range res {
			fmt.Fprintln(&all, e.Error())
		}
		msg := res[0].Msg
		switch len(res) {
		case 1:
		case 2:
			msg += " (and 1 more error)"
		default:
			msg = fmt.Sprintf("%s (and %d more errors)", msg, len(res)-1)
		}
		return atPosition(file, res[0].Pos, msg, all.String())
	case errors.As(err, &eval):
		for i := len(eval.CallStack) - 1; i >= 0; i-- {
			if pos := eval.CallStack[i].Pos; pos.Filename() == file && pos.Line > 0 {
				return atPosition(file, pos, eval.Msg, eval.Backtrace())
			}
		}
		return &ScriptError{File: file, Line: 1, Col: 1, Msg: eval.Msg, Detail: eval.Backtrace()}
	}
	return &ScriptError{File: file, Line: 1, Col: 1, Msg: err.Error()}
}

func atPosition(file string, pos syntax.Position, msg, detail string) *ScriptError {
	line, col := int(pos.Line), int(pos.Col)
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return &ScriptError{File: file, Line: line, Col: col, Msg: msg, Detail: detail}
}
