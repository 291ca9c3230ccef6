// Package server is a pure-Go twin of EuroPi's MicroPython module
// experimental.http_server: the same API (handlers, CheckRequests, the Send*
// family, status and MIME tables) and the same bytes on the wire, running on
// any net.Listener.
//
// The server is deliberately not an HTTP server in the net/http sense. It
// copies upstream's quirks byte for byte: one read of at most 1024 bytes per
// connection, dispatch by prefix ("GETX /" is a GET), a status line that always
// says HTTP/1.0, a Content-type line followed by a bare "charset=utf-8" line,
// extra headers written as Key=Value, no Content-Length, and a close after
// every response. Each copied quirk is marked "Quirk:" in the source and
// pinned by a conformance scenario.
//
// Connections are served one at a time, as on the device. CheckRequests
// serves every pending connection and returns, like upstream's
// check_requests(); Serve loops until its context ends.
//
// On Linux a TCP listener is served with blocking system calls on the
// serving loop's thread, as MicroPython's sockets block on the device: the
// loop waits for the next connection in Go's network poller, then accepts
// it and reads, writes and closes it on a blocking descriptor that the
// poller never sees. One connection at a time needs nothing more, and each
// request then costs fewer system calls (no epoll registration, no EAGAIN
// before the read) and fewer hand-offs between threads. The wait between
// connections stays in the poller, where any of Go's threads can resume
// the loop: a thread blocked in the kernel waits for its own CPU, which on
// a virtual machine whose host takes CPU time away cost far more requests.
// The calls that cannot block are raw ones, which do not wake the
// runtime's monitor thread after each such wait (see rawcall_linux.go).
// Those connections still behave as *net.TCPConn does for the server,
// profiles and handlers: the same errors, deadlines, SetLinger,
// SyscallConn, and Close from another goroutine wakes a call that waits.
// A busy loop finds its next connection queued and never parks, so it
// yields to the scheduler every 5 ms; otherwise the runtime takes it for a
// goroutine that never yields and polls it every 20 µs (see yielder).
//
// The server touches a connection only through net.Listener.Accept, one
// Read, Conn.Send (net.Conn.Write) and Close, so a device profile changes how
// a Pico W's lwIP stack behaves by wrapping the listener and its connections,
// without touching the handler API.
package server
