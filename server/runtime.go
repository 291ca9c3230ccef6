package server

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Runtime selects which Python runtime's observable differences the server
// copies when both run upstream's same file: exception texts, what counts as
// white space, and how json.dumps writes strings and special floats.
type Runtime int

const (
	// CPython copies upstream as run by CPython 3.11, the default: it is the
	// runtime the fidelity tests compare with byte for byte on a desktop.
	CPython Runtime = iota
	// MicroPython copies upstream as run by MicroPython v1.25 (the device's
	// runtime): raw UTF-8 in JSON, an empty UnicodeError message, ASCII-only
	// white space.
	MicroPython
)

// ParseRuntime maps a runtime's name ("cpython" or "micropython") to its
// Runtime.
func ParseRuntime(name string) (Runtime, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "cpython", "python", "python3":
		return CPython, nil
	case "micropython", "mpy":
		return MicroPython, nil
	}
	return CPython, fmt.Errorf("unknown runtime %q: want cpython or micropython", name)
}

// String returns the runtime's name as ParseRuntime accepts it.
func (r Runtime) String() string {
	if r == MicroPython {
		return "micropython"
	}
	return "cpython"
}

// DecodeError is the error decoding a request as UTF-8 fails with. Its text
// is the runtime's own message: CPython's UnicodeDecodeError text, or
// MicroPython's empty UnicodeError.
type DecodeError struct {
	// Message is str(err) on the runtime.
	Message string
}

// Error returns the runtime's message.
func (e *DecodeError) Error() string { return e.Message }

// Decode turns raw request bytes into the request string handlers get, as
// request.decode("UTF-8") does, or fails with a *DecodeError.
func (r Runtime) Decode(raw []byte) (string, error) {
	if r == MicroPython {
		if microPythonUTF8Valid(raw) {
			return string(raw), nil
		}
		// Quirk: MicroPython's UnicodeError carries no message at all.
		return "", &DecodeError{}
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	return "", &DecodeError{Message: cpythonDecodeMessage(raw)}
}

// microPythonUTF8Valid is MicroPython's utf8_check: it only counts
// continuation bytes, so overlong forms (C0 AF), surrogates (ED A0 80) and
// lead bytes up to F7 pass, while a stray continuation byte, F8 and above,
// or a sequence cut short fail.
func microPythonUTF8Valid(raw []byte) bool {
	need := 0
	for _, c := range raw {
		switch {
		case need > 0:
			if c&0xc0 != 0x80 {
				return false
			}
			need--
		case c >= 0xf8:
			return false
		case c >= 0xf0:
			need = 3
		case c >= 0xe0:
			need = 2
		case c >= 0xc0:
			need = 1
		case c >= 0x80:
			return false
		}
	}
	return need == 0
}

// FirstWord returns request.strip().split()[0], the method name upstream
// puts in its 400 page, and false where Python raises IndexError (an empty
// or all-white-space request).
func (r Runtime) FirstWord(request string) (string, bool) {
	isSpace := r.isSpace
	start := strings.IndexFunc(request, func(c rune) bool { return !isSpace(c) })
	if start < 0 {
		return "", false
	}
	rest := request[start:]
	if end := strings.IndexFunc(rest, isSpace); end >= 0 {
		rest = rest[:end]
	}
	return rest, true
}

// isSpace is str.isspace() for one character on the runtime.
func (r Runtime) isSpace(c rune) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	if r == MicroPython {
		// MicroPython's str methods only know ASCII white space.
		return false
	}
	switch {
	case c >= 0x1c && c <= 0x1f, c == 0x85, c == 0xa0, c == 0x1680,
		c >= 0x2000 && c <= 0x200a, c == 0x2028, c == 0x2029, c == 0x202f,
		c == 0x205f, c == 0x3000:
		return true
	}
	return false
}
