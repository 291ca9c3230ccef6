// Package recorder captures real traffic to an implementation of EuroPi's
// experimental.http_server (a Pico W, upstream's http_server.py, the
// emulator) as conformance scenarios.
//
// A Relay sits between any client and the server as a raw TCP relay. It
// forwards bytes unchanged in both directions as they arrive, with the time
// of every read, and passes on half-closes and resets. It never parses on
// the path: upstream's responses are not valid HTTP for strict parsers
// (header lines without a colon), so it relays first and interprets
// afterwards, once the connection has ended.
//
// Scenario turns one relayed connection (a Session) into a scenario in the
// suite's format: the steps are what the relay did towards the server (the
// client's segments and the pauses between them, a half-close or a reset),
// and the expectation is what the server sent back, its status line and
// header block byte for byte, its body exactly, as JSON values when the
// server called it text/json, or by structure when it is an error page,
// and how the connection ended. Store writes such scenarios to a folder
// atomically, under names made from the request's method and path.
//
// The package talks bytes over connections only, like package conformance:
// it imports neither the server nor the emulator.
package recorder
