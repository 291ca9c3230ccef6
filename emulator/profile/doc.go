// Package profile makes the emulator's connections behave like a given
// device's TCP stack, without touching the handler API.
//
// A Profile wraps the net.Listener handed to server.New, and so every
// connection it accepts. Three profiles exist:
//
//   - host: no rules; the listener is returned unchanged. This is upstream
//     as CPython or MicroPython's unix port runs it: a blocking accepted
//     socket on the host kernel's TCP.
//   - pico-w: a Pico W running MicroPython v1.25.0, whose socket module is
//     extmod/modlwip.c on top of lwIP. Each difference from the host is a
//     named Rule that Profile.Without turns off, so a developer can see
//     which device rule breaks a page.
//   - pico-w-patched: pico-w with three fixes to upstream's http_server.py
//     (a timeout on the accepted socket, reading until the request is
//     complete, sending until everything is written). The fixes live in
//     upstream's Python code, not in lwIP, so the profile models them as
//     what the patched firmware would observe through its sockets: a Read
//     that waits until the request is complete and a Write that writes
//     everything.
//
// # What the rules rest on
//
// The rules were read from MicroPython v1.25.0's extmod/modlwip.c and
// extmod/lwip-include/lwipopts_common.h, not measured on a Pico W:
//
//   - accept-timeout-0: lwip_socket_accept copies the listening socket's
//     timeout into the new socket, and upstream sets the listener's timeout
//     to 0. lwip_tcp_receive with timeout 0 and nothing handed over raises
//     EAGAIN at once; upstream catches it as OSError, returns from
//     check_requests and closes the socket.
//   - park-until-tick: until accept, a queued connection's receive callback
//     is _lwip_tcp_recv_unaccepted, which refuses every segment so lwIP
//     keeps it as refused data; _lwip_tcp_accept queues the connection.
//     lwIP retries refused data from its TCP timer (every 250 ms) and when
//     the next segment arrives. This timing comes from lwIP's own sources,
//     which are not part of MicroPython's tree, and is the least certain
//     part of the profile: Params.Tick holds it, and recordings made on a
//     device (the recorder) are the way to confirm or correct it.
//   - one-segment-read: lwip_tcp_receive copies from the first queued pbuf
//     only, and the device advertises TCP_MSS 800 (lwipopts_common.h).
//   - send-buffer: lwip_tcp_send writes at most tcp_sndbuf bytes, at most
//     TCP_SND_BUF = 8 * TCP_MSS = 6400, and returns the short count without
//     error; with timeout 0 and a full buffer it raises EAGAIN. Upstream
//     ignores the count.
//   - connection-limit: lwIP's default MEMP_NUM_TCP_PCB is 5 (MicroPython
//     does not override it) and upstream listens with backlog 5; lwIP drops
//     a SYN it has no control block for, and the client retransmits it.
//   - rst-on-unread-close: lwip_socket_ioctl's close frees unread input
//     without acknowledging it to lwIP, and lwIP's close then sends a reset.
//
// # What is uncertain
//
// Everything above is a reading of source code, and these parts of it could
// be wrong on a real Pico W; each is a parameter or a rule so that a
// recording made on a device with the recorder can confirm or correct it:
//
//   - when parked data is handed over (Params.Tick; turn park-until-tick off
//     if a device hands it over at accept);
//   - whether the client's ACK for the header block arrives before upstream
//     sends the body: the model assumes not, so the header block and the body
//     together get 6400 bytes; with the ACK in time the body alone would;
//   - what lwIP does with a client's close (FIN) that arrives before accept:
//     the model parks it like data;
//   - lwIP keeps only one refused segment and drops (unacknowledged) later
//     ones, which the client retransmits; the model parks them all;
//   - connections the device closed still hold a control block until the
//     client's FIN arrives; the model frees the slot at close.
//
// # How the patched firmware is modelled
//
// pico-w-patched stands for an http_server.py that (1) calls settimeout on
// the accepted socket (1 s, Params.RecvTimeout), (2) repeats recv until the
// blank line and Content-Length bytes of body have arrived, and (3) repeats
// send until everything is written. On the wrapped connection, (1) is a
// Read that blocks until lwIP hands data over or the timeout passes
// (ETIMEDOUT), (2) is a Read that returns only once the request is complete
// (or the caller's buffer is full: the server core still reads at most 1024
// bytes), and (3) is a Write that writes everything. The lwIP rules
// (park-until-tick, connection-limit, rst-on-unread-close) stay as on the
// device.
//
// # How the model works on loopback
//
// The wrapped listener accepts from the real listener at once (as lwIP
// completes handshakes by itself and queues the connection for accept) and
// pumps each connection's input into a queue of timestamped segments, cut
// at the MSS. Linux may merge client writes that arrive back to back, so a
// segment here is one read from the kernel cut at 800 bytes; on Wi-Fi the
// client's own segmenting decides. The queue holds at most the device's
// receive window (TCP_WND 6400); beyond that the kernel applies flow control
// as lwIP's window would.
//
// While the connection limit is reached the wrapper stops accepting, so the
// kernel's backlog holds further clients: their connect() succeeds but they
// are not served until a slot frees. A Pico W instead drops their SYN, and
// they retransmit it after about a second and then at growing intervals, so
// on a device the wait is longer.
//
// Linux itself resets a connection closed with unread input, so
// rst-on-unread-close agrees with the host; the rule exists because the
// wrapper drains the socket, and turning it off shows what a clean close
// (FIN, the rest discarded) would give a client instead.
//
// Every rule that changes something reports an Event, and errors a wrapped
// connection returns because of a rule wrap a *RuleError naming it, so a
// server.RequestLog's Err can be traced to its rule with errors.As.
package profile
