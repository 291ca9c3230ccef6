// Command benchpeer serves one fixed response, the bytes EuroPi's
// http_server would send, from one of four Go servers, so that `make bench`
// can put the emulator's figures beside Go's own:
//
//   - nethttp: Go's net/http with keep-alives off, hijacking each
//     connection to write the malformed header block; the ceiling a Go
//     server reaches.
//   - bare: accept, read once, write, close, a goroutine per connection;
//     the loopback limit.
//   - serial: accept, read once, write the header block and the body in
//     two writes, close, then the next, on one goroutine: the limit for
//     serving one connection at a time, as the device must. With
//     -backlog 5 it also queues connections as the device does.
//   - blocking (Linux): serial as the emulator serves: it waits for the
//     next connection in Go's network poller, then accepts, reads, writes
//     and closes with blocking system calls on one thread.
//
// Usage:
//
//	go run ./internal/benchpeer -kind nethttp|bare|serial|blocking [-listen 127.0.0.1:0] [-response FILE] [-backlog N]
//
// It prints "benchpeer: KIND serving on http://ADDR/" once it listens and
// runs until SIGINT or SIGTERM. It listens on loopback only: it exists to be
// measured on this machine, not to be reached.
package main
