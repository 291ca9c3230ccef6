package profile

import (
	"fmt"
	"net"
	"syscall"
)

// Write is the socket's send under the profile's rules. With send-buffer,
// it writes at most the free send buffer and returns the short count
// without error, as lwip_tcp_send does; upstream ignores the count, so the
// rest of the response never leaves. No ACK is modelled between two sends
// of one connection: upstream makes them microseconds apart, far less than
// a Wi-Fi round trip, so the header block still fills the buffer when the
// body is sent.
func (c *conn) Write(p []byte) (int, error) {
	l, rs := c.l, c.l.rules
	l.mu.Lock()
	if c.closed {
		l.mu.Unlock()
		return 0, c.opError("write", net.ErrClosed)
	}
	if !rs.sendBuffer || len(p) == 0 {
		l.mu.Unlock()
		return c.nc.Write(p)
	}
	size := l.p.SendBuffer
	if rs.fixedSend {
		// The patched firmware repeats send until all is written; each
		// repeat waits for ACKs to free the buffer.
		if free := max(size-c.sent, 0); len(p) > free {
			rest := len(p) - free
			sends := (rest + size - 1) / size
			if free > 0 {
				sends++
			}
			l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindFixed, Peer: c.peer, Request: c.requestLine(),
				Detail: fmt.Sprintf("send was called %d times, waiting for ACKs, to write all %d bytes", sends, len(p))})
			c.sent = rest % size
			if c.sent == 0 {
				c.sent = size
			}
		} else {
			c.sent += len(p)
		}
		l.mu.Unlock()
		l.flush()
		return c.nc.Write(p)
	}
	free := size - c.sent
	if free <= 0 {
		if !rs.blockingRecv() {
			l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindCutResponse, Peer: c.peer, Request: c.requestLine(),
				Detail: fmt.Sprintf("send raised EAGAIN: the %d-byte send buffer was full", size)})
			l.mu.Unlock()
			l.flush()
			// Quirk: with timeout 0 and no room, lwip_tcp_send raises EAGAIN.
			return 0, &RuleError{Rule: RuleSendBuffer, Op: "send", Err: syscall.EAGAIN}
		}
		// A blocking socket waits until ACKs free the buffer; the model
		// lets every byte be acknowledged.
		c.sent, free = 0, size
	}
	// Quirk: send takes at most the free send buffer and reports the
	// short count; upstream does not look at it.
	n := min(len(p), free)
	c.sent += n
	if n < len(p) {
		l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindCutResponse, Peer: c.peer, Request: c.requestLine(),
			Detail: fmt.Sprintf("send took %d of %d bytes (the free part of the %d-byte send buffer); upstream ignores the count, so the rest never leaves",
				n, len(p), size)})
	}
	l.mu.Unlock()
	l.flush()
	return c.nc.Write(p[:n])
}
