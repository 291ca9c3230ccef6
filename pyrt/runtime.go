package pyrt

import (
	"fmt"
	"strings"
)

// Runtime selects which Python runtime's observable differences to copy
// when both run upstream's same file: exception texts, what counts as
// white space, and how json.dumps and json.loads behave.
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
