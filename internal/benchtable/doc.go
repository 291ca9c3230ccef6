// Command benchtable runs `make bench`'s comparison: the same load, from the
// same client (internal/loadgen), against each server in its own process,
// at 1 and at 16 concurrent connections, printing one table of requests/s,
// p50/p99 latency, peak RSS and the ratios to net/http and to the serial
// limit.
//
// The servers, started together (upstream alone after them, as its main
// loop polls even when idle) and measured in rounds, one after the other:
//
//   - serve (dashboard, log): `europi-http serve` as it runs by default
//     (its dashboard on, a log line per request), serving the embedded
//     http_control app, built from ./cmd/europi-http;
//   - serve --quiet --no-dashboard: the same emulator without either;
//   - net/http: internal/benchpeer -kind nethttp, Go's net/http with
//     keep-alives off sending the same bytes, a goroutine per connection;
//   - serial: internal/benchpeer -kind serial -backlog 5, accept, one
//     read, header block and body in two writes, close, one connection at
//     a time, with the device's listen backlog of 5 that the emulator keeps
//     (a pinned quirk): the limit for serving as the device must, and the
//     yardstick of the "vs serial" column;
//   - serial, blocking calls: internal/benchpeer -kind blocking -backlog 5,
//     the same loop as the emulator's serving loop works (Linux): it waits
//     for the next connection in Go's network poller and serves it with
//     blocking system calls on one thread;
//   - serial, system backlog: the same loop with Go's listen backlog (the
//     system's maximum): what the device's short queue costs when more
//     clients connect at once than it holds;
//   - bare: internal/benchpeer -kind bare, a goroutine per connection and
//     one write, the loopback limit;
//   - upstream: EuroPi's own http_server.py under python3 (through
//     internal/upstream), when $EUROPI_FIRMWARE names a EuroPi checkout.
//
// The emulator's answer to GET / is captured first and becomes every other
// server's response, so all of them send the same bytes; each server's
// answer is checked against it. Peak RSS is VmHWM from /proc/PID/status of
// the server process (for upstream, the python3 process). Everything
// listens on 127.0.0.1 and each run is bounded by -duration. Where
// /proc/stat exists, each run's progress line and the notes say how much
// of the machine's CPU time the hypervisor gave to other guests meanwhile
// ("steal"): on a shared host it comes in bursts, and a run through one
// is worth less than the others. The "calm vs serial" and "stolen vs
// serial" columns divide the rounds by it.
//
// Usage, from the module root:
//
//	go run ./internal/benchtable [-duration 5s] [-rounds 3] [-conns 1,16] [-servers serve,emulator,nethttp,serial,serial-blocking,serial-sysbacklog,bare,upstream]
package main
