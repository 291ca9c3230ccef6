package pyrun

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/europi-http/europi-http/emulator"
)

// The channel's message kinds (CHANNEL.md): one byte each, followed by a
// 16-bit big-endian payload length and the payload.
const (
	msgHello       = 'H' // interpreter → panel: secret, a space, the interpreter's name
	msgDuty        = 'P' // interpreter → panel: pin, duty (16 bits)
	msgFrame       = 'F' // interpreter → panel: the OLED's 512-byte frame
	msgListen      = 'L' // interpreter → panel: the port asked for, the port bound (16 bits each)
	msgStarted     = 'S' // interpreter → panel: the script imported and starts
	msgNotImported = 'N' // interpreter → panel: after all, the script's top level failed on an import
	msgIRQ         = 'I' // interpreter → panel: pin, trigger of a Pin.irq handler set (0: removed)
	msgAnalogue    = 'A' // panel → interpreter: pin, ADC reading (16 bits)
	msgDigital     = 'D' // panel → interpreter: pin, level (0 or 1)
	msgReady       = 'R' // panel → interpreter: every input has its first value
)

// helloTimeout bounds how long a connection to the channel may take to
// prove it knows the secret.
const helloTimeout = 5 * time.Second

// channelHooks is what a channel tells its run about.
type channelHooks struct {
	// started is called when the script has imported.
	started func()
	// notImported is called when a plain module, started, failed on an
	// import statement of its top level: it did not import after all.
	notImported func()
	// listening is called when the script's server binds: the port it
	// asked for, and the loopback port it got.
	listening func(asked, bound int)
	// irq is called when the script sets (trigger ≠ 0) or removes a
	// pin's irq handler.
	irq func(pin, trigger int)
	// problem reports a message the panel could not use.
	problem func(err error)
}

// channel is the panel's end of the connection to one interpreter: a
// loopback listener that accepts the first connection knowing the run's
// secret, and nothing after it.
type channel struct {
	ln     net.Listener
	secret string
}

// openChannel listens on a free loopback port with a fresh secret.
func openChannel() (*channel, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("pyrun: the panel's channel: %w", err)
	}
	key := make([]byte, 16)
	if _, err := rand.Read(key); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("pyrun: the channel's secret: %w", err)
	}
	return &channel{ln: ln, secret: hex.EncodeToString(key)}, nil
}

// port is the loopback port the interpreter connects to.
func (c *channel) port() int { return c.ln.Addr().(*net.TCPAddr).Port }

// close stops accepting; a connection being served goes on.
func (c *channel) close() { _ = c.ln.Close() }

// serve accepts the interpreter's connection and serves it until it ends
// or ctx does. A connection without the secret is closed unanswered.
func (c *channel) serve(ctx context.Context, panel *emulator.IO, hooks channelHooks) error {
	stop := context.AfterFunc(ctx, c.close)
	defer stop()
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("pyrun: the panel's channel: %w", err)
		}
		r := bufio.NewReaderSize(conn, 4096)
		name, ok := c.hello(conn, r)
		if !ok {
			_ = conn.Close()
			continue
		}
		c.close() // one interpreter per channel
		_ = name
		return serveConn(ctx, conn, r, panel, hooks)
	}
}

// hello reads the first message and checks the secret in it.
func (c *channel) hello(conn net.Conn, r *bufio.Reader) (interpreter string, ok bool) {
	_ = conn.SetReadDeadline(time.Now().Add(helloTimeout))
	defer func() { _ = conn.SetReadDeadline(time.Time{}) }()
	kind, payload, err := readMessage(r)
	if err != nil || kind != msgHello {
		return "", false
	}
	secret, name, _ := strings.Cut(string(payload), " ")
	if len(secret) != len(c.secret) || secret != c.secret {
		return "", false
	}
	return name, true
}

// readMessage reads one message.
func readMessage(r *bufio.Reader) (kind byte, payload []byte, err error) {
	var head [3]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	payload = make([]byte, int(head[1])<<8|int(head[2]))
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}

// appendMessage appends one message to b.
func appendMessage(b []byte, kind byte, payload ...byte) []byte {
	return append(append(b, kind, byte(len(payload)>>8), byte(len(payload))), payload...)
}

// serveConn sends the panel's inputs to the interpreter as they change and
// applies its outputs to the panel, until the connection ends.
func serveConn(ctx context.Context, conn net.Conn, r *bufio.Reader, panel *emulator.IO, hooks channelHooks) error {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	q := &inputQueue{wake: make(chan struct{}, 1)}
	unwatch := panel.WatchInputs(q.push)
	defer unwatch()
	for _, in := range panelInputs(panel.Snapshot().Inputs) {
		q.push(in)
	}
	q.pushReady()

	writeDone := make(chan struct{})
	go func() {
		defer close(writeDone)
		q.writeTo(ctx, conn)
	}()
	err := readOutputs(r, panel, hooks)
	_ = conn.Close()
	q.close()
	<-writeDone
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
		return nil
	}
	return err
}

// readOutputs applies the interpreter's messages to the panel until the
// connection ends.
func readOutputs(r *bufio.Reader, panel *emulator.IO, hooks channelHooks) error {
	display := panel.Display()
	for {
		kind, p, err := readMessage(r)
		if err != nil {
			return err
		}
		switch {
		case kind == msgDuty && len(p) == 3:
			if cv, ok := cvPins[p[0]]; ok {
				_ = panel.SetOutputDuty(cv, int(p[1])<<8|int(p[2]))
			}
		case kind == msgFrame:
			if err := display.SetFrame(p); err != nil && hooks.problem != nil {
				hooks.problem(err)
			}
		case kind == msgListen && len(p) == 4:
			if hooks.listening != nil {
				hooks.listening(int(p[0])<<8|int(p[1]), int(p[2])<<8|int(p[3]))
			}
		case kind == msgIRQ && len(p) == 2:
			if hooks.irq != nil {
				hooks.irq(int(p[0]), int(p[1]))
			}
		case kind == msgStarted:
			if hooks.started != nil {
				hooks.started()
			}
		case kind == msgNotImported:
			if hooks.notImported != nil {
				hooks.notImported()
			}
		default:
			if hooks.problem != nil {
				hooks.problem(fmt.Errorf("pyrun: the interpreter sent an unknown message %q of %d bytes", kind, len(p)))
			}
		}
	}
}

// inputQueue holds the messages for the interpreter, in order, between
// the panel's watcher (which must not block) and the writer.
type inputQueue struct {
	mu      sync.Mutex
	pending []byte
	closed  bool
	wake    chan struct{}
}

// push queues an input change as its pin's message.
func (q *inputQueue) push(in emulator.Input) {
	pv, ok := inputPin(in)
	if !ok {
		return
	}
	kind, payload := byte(msgDigital), []byte{pv.pin, byte(pv.value)}
	if pv.analogue {
		kind, payload = msgAnalogue, []byte{pv.pin, byte(pv.value >> 8), byte(pv.value)}
	}
	q.add(kind, payload...)
}

// pushReady queues the end of the first values.
func (q *inputQueue) pushReady() { q.add(msgReady) }

func (q *inputQueue) add(kind byte, payload ...byte) {
	q.mu.Lock()
	q.pending = appendMessage(q.pending, kind, payload...)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *inputQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// writeTo sends what is queued, everything pending in one write, until
// the queue is closed or a write fails.
func (q *inputQueue) writeTo(ctx context.Context, w io.Writer) {
	var out []byte
	for {
		select {
		case <-q.wake:
		case <-ctx.Done():
			return
		}
		q.mu.Lock()
		out, q.pending = q.pending, out[:0]
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return
		}
		if len(out) > 0 {
			if _, err := w.Write(out); err != nil {
				return
			}
		}
	}
}
