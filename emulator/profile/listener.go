package profile

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/europi-http/europi-http/internal/broadcast"
)

// maxPending bounds the connections taken from the kernel ahead of the
// server when connection-limit is off, so a flood waits in the kernel's
// backlog instead of in memory.
const maxPending = 64

// acceptBackoff is how long the accept loop waits after a transient accept
// error (out of file descriptors and the like) before trying again.
const acceptBackoff = 10 * time.Millisecond

// ruleSet is a profile's rules as flags, resolved once by Wrap.
type ruleSet struct {
	timeout0, park, oneSegment, sendBuffer, limit, rst bool
	// The patched forms of the three rules upstream's code can fix.
	fixedRecv, fixedRead, fixedSend bool
}

func (p *Profile) ruleSet() ruleSet {
	var rs ruleSet
	if r, ok := p.rule(RuleAcceptTimeout0); ok {
		rs.timeout0, rs.fixedRecv = true, r.patched
	}
	if r, ok := p.rule(RuleOneSegmentRead); ok {
		rs.oneSegment, rs.fixedRead = true, r.patched
	}
	if r, ok := p.rule(RuleSendBuffer); ok {
		rs.sendBuffer, rs.fixedSend = true, r.patched
	}
	_, rs.park = p.rule(RuleParkUntilTick)
	_, rs.limit = p.rule(RuleConnectionLimit)
	_, rs.rst = p.rule(RuleRSTOnUnreadClose)
	return rs
}

// blockingRecv reports whether the accepted socket blocks: on the host, or
// in the patched firmware that gives it a timeout.
func (rs ruleSet) blockingRecv() bool { return !rs.timeout0 || rs.fixedRecv }

// listener is a net.Listener whose connections follow a profile's rules. It
// accepts from the real listener in the background, as lwIP completes
// handshakes and queues connections for accept by itself
// (_lwip_tcp_accept), and hands them out in order from Accept.
type listener struct {
	ln     net.Listener
	label  string
	p      Params
	rules  ruleSet
	events func(Event)
	epoch  time.Time // lwIP's timer ticks at epoch + k*Tick
	race   *race     // draws who wins the accept race; guarded by mu

	mu       sync.Mutex
	changed  broadcast.Signal // notified on every state change
	pending  []*conn          // accepted from the kernel, not yet by the server
	open     int              // pending plus accepted and not yet closed
	held     bool             // the limit is reached and was reported
	closed   bool
	deadline time.Time
	loopErr  error // why the accept loop ended
	transErr error // a transient accept error Accept should report once
	draining map[*conn]struct{}
	outbox   []Event

	emitMu   sync.Mutex
	loopDone chan struct{}
}

// Wrap returns a listener whose connections follow p's rules, and calls
// events (if not nil) each time a rule makes a connection differ from the
// host; calls are never concurrent, and events must not call back into
// the listener. A profile without rules (host, or every
// rule turned off) returns ln itself. The returned listener owns ln and
// forwards SetDeadline semantics to Accept, as server.CheckRequests needs.
func (p *Profile) Wrap(ln net.Listener, events func(Event)) net.Listener {
	if len(p.Rules) == 0 {
		return ln
	}
	l := &listener{
		ln:       ln,
		label:    p.Label(),
		p:        p.Params.withDefaults(),
		rules:    p.ruleSet(),
		events:   events,
		epoch:    time.Now(),
		race:     newRace(p.Params),
		draining: make(map[*conn]struct{}),
		loopDone: make(chan struct{}),
	}
	go l.acceptLoop()
	return l
}

// acceptLoop takes connections from the kernel while there is room.
func (l *listener) acceptLoop() {
	defer close(l.loopDone)
	for l.waitForRoom() {
		nc, err := l.ln.Accept()
		if err != nil {
			l.mu.Lock()
			if l.closed || errors.Is(err, net.ErrClosed) {
				l.loopErr = err
				l.broadcastLocked()
				l.mu.Unlock()
				return
			}
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() { // a deadline on the real listener is not news
				l.transErr = err
				l.broadcastLocked()
			}
			l.mu.Unlock()
			time.Sleep(acceptBackoff)
			continue
		}
		c := newConn(l, nc)
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			_ = nc.Close()
			continue
		}
		l.open++
		l.pending = append(l.pending, c)
		l.broadcastLocked()
		l.mu.Unlock()
		go c.pump()
	}
}

// waitForRoom blocks while the connection limit is reached, and reports
// false once the listener is closed.
func (l *listener) waitForRoom() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.closed {
		limit := maxPending
		if l.rules.limit {
			limit = l.p.MaxConns
		}
		// Quirk: with connection-limit, at most MaxConns connections exist
		// at once (lwIP's MEMP_NUM_TCP_PCB); the rest wait for a slot.
		if l.open < limit {
			l.held = false
			return true
		}
		if l.rules.limit && !l.held {
			l.held = true
			l.emitLocked(Event{Rule: RuleConnectionLimit, Kind: KindWait, Peer: "-",
				Detail: fmt.Sprintf("%d connections are open, the most lwIP allows: a further client waits until one closes "+
					"(here in the kernel's backlog; a Pico W drops its SYN and it retransmits after about 1 s, then at growing intervals)", l.open)})
			l.mu.Unlock()
			l.flush()
			l.mu.Lock()
			continue
		}
		l.waitLocked(time.Time{})
	}
	return false
}

// Accept hands out the next connection the kernel accepted, in order, as
// lwip_socket_accept takes the next one from its queue.
func (l *listener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if l.closed {
			return nil, l.opError(net.ErrClosed)
		}
		for len(l.pending) > 0 {
			c := l.pending[0]
			l.pending = l.pending[1:]
			if c.resetBeforeAccept() {
				continue
			}
			c.acceptLocked(time.Now())
			l.broadcastLocked()
			return c, nil
		}
		if err := l.transErr; err != nil {
			l.transErr = nil
			return nil, err
		}
		if l.loopErr != nil {
			return nil, l.loopErr
		}
		if !l.deadline.IsZero() && !time.Now().Before(l.deadline) {
			return nil, l.opError(os.ErrDeadlineExceeded)
		}
		l.waitLocked(l.deadline)
	}
}

// Close closes the real listener and every connection the server never
// took, and ends the accept loop.
func (l *listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return l.opError(net.ErrClosed)
	}
	l.closed = true
	var toClose []net.Conn
	for _, c := range l.pending {
		c.closed = true
		toClose = append(toClose, c.nc)
	}
	l.pending = nil
	for c := range l.draining {
		toClose = append(toClose, c.nc)
	}
	l.broadcastLocked()
	l.mu.Unlock()
	err := l.ln.Close()
	for _, nc := range toClose {
		_ = nc.Close()
	}
	<-l.loopDone
	return err
}

// Addr returns the real listener's address.
func (l *listener) Addr() net.Addr { return l.ln.Addr() }

// SetDeadline sets the deadline for Accept, as on a *net.TCPListener; the
// real listener keeps accepting in the background.
func (l *listener) SetDeadline(t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline = t
	l.broadcastLocked()
	return nil
}

func (l *listener) opError(err error) error {
	return &net.OpError{Op: "accept", Net: l.ln.Addr().Network(), Addr: l.ln.Addr(), Err: err}
}

// broadcastLocked wakes everyone waiting on the listener's state.
func (l *listener) broadcastLocked() {
	l.changed.Notify()
}

// waitLocked releases l.mu until the state changes or until wake (if not
// zero), then takes it again.
func (l *listener) waitLocked(wake time.Time) {
	ch := l.changed.Wait()
	l.mu.Unlock()
	defer l.mu.Lock()
	if wake.IsZero() {
		<-ch
		return
	}
	timer := time.NewTimer(time.Until(wake))
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
	}
}

// nextTick returns lwIP's first timer tick after t.
func (l *listener) nextTick(t time.Time) time.Time {
	return l.epoch.Add((t.Sub(l.epoch)/l.p.Tick + 1) * l.p.Tick)
}

// emitLocked queues an event for flush; events go out after l.mu is
// released, in order.
func (l *listener) emitLocked(e Event) {
	if l.events == nil {
		return
	}
	e.Time = time.Now()
	e.Profile = l.label
	l.outbox = append(l.outbox, e)
}

// flush delivers queued events, one caller at a time. Call it without l.mu.
func (l *listener) flush() {
	if l.events == nil {
		return
	}
	l.emitMu.Lock()
	defer l.emitMu.Unlock()
	l.mu.Lock()
	out := l.outbox
	l.outbox = nil
	l.mu.Unlock()
	for _, e := range out {
		l.events(e)
	}
}
