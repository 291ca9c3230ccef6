// Package loadgen is a load generator for servers that talk like EuroPi's
// experimental.http_server: one TCP connection per request, a response that
// is not valid HTTP for strict parsers (header lines without a colon, no
// Content-Length) and a body that ends when the server closes.
//
// It therefore speaks raw bytes, not net/http: each request dials, writes
// the request bytes once, reads until the server closes, and classifies
// what came back. Failures are counted by kind (refused, reset, timeout,
// short body, other) and never retried, so every figure is what the target
// really did. A run is always bounded, by a duration or a request count,
// and every request by its own timeout.
//
// The package does not import the server or emulator packages: it only
// knows an address and bytes, so it measures a real Pico W, upstream's
// http_server.py under python3, or the emulator alike.
package loadgen
