// Package clients reports which real HTTP clients accept the responses of
// EuroPi's experimental.http_server: it sends the conformance suite's
// requests through Go's net/http, curl, Python's urllib and headless
// Chromium, each where installed, and records what each made of the
// answer: the status and headers it kept, the lines it dropped, the body,
// or the error it refused the response with.
//
// Upstream writes `charset=utf-8` and `Key=Value` header lines without a
// colon. Strict parsers (Go, curl) refuse such a response, urllib drops the
// lines, browsers tolerate them; this is the table a firmware developer
// needs before changing the header format.
//
// The package talks to an address only. It imports neither the server nor
// the emulator; the europi-http clients command points it at the emulator
// with the conformance fixture by default.
package clients
