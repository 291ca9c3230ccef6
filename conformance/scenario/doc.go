// Package scenario is the conformance suite's file format: it lexes,
// parses, validates, formats and loads scenario files. It knows nothing of
// networks or tests; package conformance runs what it reads.
//
// A scenario file (testdata/scenarios/<area>/<name>.scenario) is
// line-oriented text; every byte string in it is Go-quoted, so CR, LF, NUL
// and invalid UTF-8 stay visible and no line-ending conversion can change
// them:
//
//	[scenario]
//	description "GET /teapot answers 418 with the error page."
//	rule routes "send_error_page(Exception(\"We're out of coffee!\"), connection, status=HttpStatus.TEAPOT)"
//
//	[steps]
//	send "GET /teapot HTTP/1.0\r\n\r\n"
//
//	[expect]
//	status "HTTP/1.0 418 I'm a teapot\r\n"
//	header "Content-type: text/html\r\n"
//	header "charset=utf-8\r\n"
//	error-page 418 "I'm a teapot"
//	message "We're out of coffee!"
//	end fin
//
//	[expect when micropython]
//	difference "why this runtime differs"
//	...
//
// An optional [inputs] section between [scenario] and [steps] holds the
// panel inputs a scenario was recorded with (k1 40, b1 1, ...), which a
// target with a panel sets before running it.
//
// Sections named "[expect CONN when LABEL...]" or "[device when LABEL...]"
// override the base expectation for targets that carry one of the labels
// (a runtime such as cpython or micropython, a profile such as pico-w); see
// conformance.Resolve. conformance/FORMAT.md describes every keyword.
//
// Parse and Format are inverses: Parse(Format(s)) gives s back, line
// numbers aside, so --update and the recorder write files that people also
// edit. Load reads a folder (or any fs.FS), Default the scenarios embedded
// in the binary.
package scenario
