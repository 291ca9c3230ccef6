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
// extmod/lwip-include/lwipopts_common.h, then checked against the real
// v1.25.0 Pico W firmware (real lwIP and modlwip.c, upstream's
// http_server.py and the conformance fixture) run in an RP2040 emulator
// with PPP standing in for the Wi-Fi chip. Confirmed there: accept-timeout-0
// (and its race), park-until-tick, one-segment-read, the MSS of 800 and
// window of 6400, connection-limit and rst-on-unread-close. Seen there and
// so corrected: send-buffer. Over Wi-Fi (the CYW43 radio) none of it has
// been seen yet; it is inferred to be the same, since the radio changes
// the link, not lwIP or modlwip.c.
//
//   - accept-timeout-0: lwip_socket_accept copies the listening socket's
//     timeout into the new socket, and upstream sets the listener's timeout
//     to 0. lwip_tcp_receive with timeout 0 and nothing handed over raises
//     EAGAIN at once; upstream catches it as OSError, returns from
//     check_requests and closes the socket. It is a race, not a certainty:
//     on the real firmware about 2% of connections (4 of ~190) had their
//     request handed over between accept() and recv() and were answered,
//     cut at one segment when longer. Params.RaceWin is that chance
//     (default 0, so runs are reproducible) and Params.RaceSeed its draws.
//   - park-until-tick: until accept, a queued connection's receive callback
//     is _lwip_tcp_recv_unaccepted, which refuses every segment so lwIP
//     keeps it as refused data; _lwip_tcp_accept queues the connection.
//     lwIP retries refused data from its TCP timer (every 250 ms) and when
//     the next segment arrives. On the real firmware a recv 600 ms after
//     accept got the request.
//   - one-segment-read: lwip_tcp_receive copies from the first queued pbuf
//     only, and the device advertises TCP_MSS 800 (lwipopts_common.h). On
//     the real firmware a 2000-byte send was read as 800.
//   - send-buffer: lwip_tcp_send queues at most tcp_sndbuf bytes (TCP_SND_BUF
//     = 8 * TCP_MSS = 6400) with tcp_write, which copies them into pbufs
//     taken from lwIP's heap (MEM_SIZE 8000). When they do not fit,
//     tcp_write returns ERR_MEM; lwip_tcp_send retries it 200 times 50 ms
//     apart and then raises ENOMEM, having sent nothing. On the real
//     firmware one send on a fresh connection of up to 5600 bytes went out
//     whole, while 6400 and 20000 bytes raised ENOMEM, sent nothing and left
//     the connection open with no close for at least 8 s; after a 60-byte
//     send a 6400-byte one failed too. Params.SendHeap and SegmentCost
//     model the heap, SendRetry the retries. Upstream sends the header
//     block and the body in two calls and catches the body's OSError with
//     `except OSError: return`, whose finally closes the connection: the
//     client gets the header block alone, then (after the retries) the
//     close, with a reset if the request was not read whole. With timeout
//     0 and a full send buffer lwip_tcp_send raises EAGAIN instead.
//   - connection-limit: lwIP's default MEMP_NUM_TCP_PCB is 5 (MicroPython
//     does not override it) and upstream listens with backlog 5; lwIP drops
//     a SYN it has no control block for, and the client retransmits it. On
//     the real firmware, with nothing accepted, 5 connects succeeded and 3
//     SYNs went unanswered.
//   - rst-on-unread-close: lwip_socket_ioctl's close frees unread input
//     without acknowledging it to lwIP, and lwIP's close then sends a reset.
//
// Also seen on the real firmware and not modelled: with five connections
// closing, socket.socket() raised ENOMEM; and the fixture's /big/20000 raised
// MemoryError allocating 20001 bytes with 51 KB of MicroPython's heap free
// (fragmented), which upstream answers with a 500 page. The emulator runs
// handlers in Starlark, whose allocations do not follow the device's heap,
// so the scenarios that can meet it declare that outcome as one of the
// device's.
//
// # What is uncertain
//
// These parts could still be wrong on a Pico W; each is a parameter or a
// rule so that a recording made on a device with the recorder can confirm
// or correct it:
//
//   - when parked data is handed over (Params.Tick; turn park-until-tick off
//     if a device hands it over at accept), and how often the accept race
//     is won over Wi-Fi (Params.RaceWin);
//   - how much of lwIP's heap a connection's send data may take
//     (Params.SendHeap: between 5600 and 6400 bytes of data on a fresh
//     connection) and whether the client's ACK for the header block frees
//     its part before the body is sent (the model assumes not);
//   - how long a send that does not fit holds the loop (Params.SendRetry,
//     read from the source; the device showed at least 8 s);
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
// blank line and Content-Length bytes of body have arrived, and (3) sends
// the response in pieces small enough for lwIP's heap, repeating each send
// until everything is written. On the wrapped connection, (1) is a
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
