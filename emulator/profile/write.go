package profile

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// Write is the socket's send under the profile's rules. With send-buffer,
// lwip_tcp_send queues at most the free send buffer, and only if the
// segments fit in lwIP's heap; a send that does not fit retries for
// SendRetry, then raises ENOMEM having sent nothing. Upstream catches
// that as OSError, returns from check_requests and closes, so the client
// gets what earlier sends queued (the header block) and the close. No ACK
// is modelled between two sends of one connection: upstream makes them
// microseconds apart, far less than a round trip, so what the header block
// took is still taken when the body is sent.
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
	if rs.fixedSend {
		c.fixedSendLocked(len(p))
		l.mu.Unlock()
		l.flush()
		return c.nc.Write(p)
	}
	size := l.p.SendBuffer
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
		c.sent, c.heap, free = 0, 0, size
	}
	n := min(len(p), free)
	if cost := c.heapCost(n); c.heap+cost > l.p.SendHeap {
		return 0, c.noMemoryLocked(n, cost)
	}
	// Quirk: send takes at most the free send buffer and reports the
	// short count; upstream does not look at it.
	c.sent += n
	c.heap += c.heapCost(n)
	if n < len(p) {
		l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindCutResponse, Peer: c.peer, Request: c.requestLine(),
			Detail: fmt.Sprintf("send took %d of %d bytes (the free part of the %d-byte send buffer); upstream ignores the count, so the rest never leaves",
				n, len(p), size)})
	}
	l.mu.Unlock()
	l.flush()
	return c.nc.Write(p[:n])
}

// heapCost is what n bytes of send data take of lwIP's heap: each segment
// of at most MSS bytes is one pbuf with its overhead.
func (c *conn) heapCost(n int) int {
	mss := c.l.p.MSS
	return n + (n+mss-1)/mss*c.l.p.SegmentCost
}

// noMemoryLocked is a send whose segments do not fit in lwIP's heap:
// tcp_write returns ERR_MEM, and lwip_tcp_send retries it every 50 ms for
// SendRetry (nothing frees the memory, as nothing of it was sent), then
// raises ENOMEM. A client's reset ends the retries early: lwIP frees the
// connection and the next tcp_write fails. It unlocks l.mu.
func (c *conn) noMemoryLocked(n, cost int) error {
	l := c.l
	l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindCutResponse, Peer: c.peer, Request: c.requestLine(),
		Detail: fmt.Sprintf("send of %d bytes needs %d bytes of lwIP's heap, %d are free: it retries for %v, raises ENOMEM and sends nothing; upstream returns and closes",
			n, cost, max(l.p.SendHeap-c.heap, 0), l.p.SendRetry)})
	l.mu.Unlock()
	l.flush()
	l.mu.Lock()
	until := time.Now().Add(l.p.SendRetry)
	for !c.closed && (c.end == nil || errors.Is(c.end, io.EOF)) && time.Now().Before(until) {
		if c.end != nil && c.resetAfterEOFLocked() {
			break
		}
		l.waitLocked(earliest(until, time.Now().Add(sendRetryInterval)))
	}
	l.mu.Unlock()
	// Quirk: a send that does not fit in lwIP's heap raises ENOMEM after
	// lwip_tcp_send's retries, having sent nothing.
	return &RuleError{Rule: RuleSendBuffer, Op: "send", Err: syscall.ENOMEM}
}

// sendRetryInterval is how often lwip_tcp_send retries tcp_write.
const sendRetryInterval = 50 * time.Millisecond

// resetAfterEOFLocked reports whether a client that had closed its side
// has since reset the connection (its kernel does when data reaches a
// closed socket). Reads only say EOF after a FIN, so it asks the socket.
func (c *conn) resetAfterEOFLocked() bool {
	if err := pendingError(c.nc); err != nil {
		c.end = err
		return true
	}
	return false
}

// fixedSendLocked accounts for the patched firmware's send loop, which
// sends pieces that fit and repeats until everything is written, each
// repeat waiting for ACKs to free the buffer and the heap.
func (c *conn) fixedSendLocked(n int) {
	l := c.l
	size := l.p.SendBuffer
	free := max(size-c.sent, 0)
	if n <= free && c.heap+c.heapCost(n) <= l.p.SendHeap {
		c.sent += n
		c.heap += c.heapCost(n)
		return
	}
	l.emitLocked(Event{Rule: RuleSendBuffer, Kind: KindFixed, Peer: c.peer, Request: c.requestLine(),
		Detail: fmt.Sprintf("send was repeated over pieces that fit, waiting for ACKs, to write all %d bytes", n)})
	rest := n % l.p.MSS
	c.sent, c.heap = rest, c.heapCost(rest)
}
