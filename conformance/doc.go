// Package conformance checks an implementation of EuroPi's
// experimental.http_server against scenario files: raw bytes sent over TCP to
// an address, and the bytes, connection end and device state expected back.
//
// The package talks bytes over connections only. It imports neither the
// server nor the emulator, so the same suite runs against the emulator, a
// Pico W running the fixture (conformance/fixture), or upstream's
// http_server.py started on loopback.
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
// Sections named "[expect CONN when LABEL...]" or "[device when LABEL...]"
// override the base expectation for targets that carry one of the labels
// (a runtime such as cpython or micropython, a profile such as pico-w); see
// Resolve. FORMAT.md beside this file describes every keyword.
//
// A target running under a device profile (the emulator with conform
// --profile) reports what the profile's rules did to each connection as a
// ProfileReporter; each Result names those rules (Result.ProfileRules) and
// the reports print them beside the scenario.
//
// Run is the suite entry point for go test, in the style of
// golang.org/x/net/nettest: it takes a factory for a Target. Runner runs
// scenarios outside go test (the europi-http conform command) and feeds the
// text, JSON and JUnit reports.
package conformance
