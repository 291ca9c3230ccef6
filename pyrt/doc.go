// Package pyrt is the Python runtime behaviour that upstream's module
// shows on the wire, in one place for the Go server and the emulator:
// request.decode("UTF-8") with CPython's and MicroPython's error texts,
// str.strip().split() white space, json.dumps, json.loads with CPython's
// JSONDecodeError messages or MicroPython's one message, and float repr.
//
// A Runtime selects CPython 3.11 (the default) or MicroPython v1.25; where
// the two differ observably, each method copies the selected one. Values
// cross the package as plain Go values (nil, bool, integers, *big.Int,
// float64, string, []any and the ordered JSONObject), so neither caller's
// value model leaks into the other.
package pyrt
