package cdp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// Origin is the Origin header the client sends; Chromium must be started
// with --remote-allow-origins naming it, as Launch does.
const Origin = "http://127.0.0.1"

// Error is an error the browser answered a call with.
type Error struct {
	// Code is the protocol's error code.
	Code int `json:"code"`
	// Message says what went wrong.
	Message string `json:"message"`
	// Data adds detail, when the browser gives any.
	Data string `json:"data,omitempty"`
}

// Error returns the browser's message and detail.
func (e *Error) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("cdp: %s (%s)", e.Message, e.Data)
	}
	return "cdp: " + e.Message
}

// message is every message on the wire: a call, its answer or an event.
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *Error          `json:"error,omitempty"`
}

// Event is a message the browser sent on its own, not as an answer.
type Event struct {
	// Session is the page session it belongs to ("" for the browser).
	Session string
	// Method names the event, like "Network.responseReceived".
	Method string
	// Params holds the event's parameters, undecoded.
	Params json.RawMessage
}

// eventBuffer bounds the events waiting for a reader; a page load makes a
// few dozen. Past it events are dropped, so a caller waiting for one
// times out instead of the reader blocking.
const eventBuffer = 1024

// Conn is a DevTools connection to a browser. Calls may be made from
// several goroutines; events arrive on Events.
type Conn struct {
	t      transport
	wmu    sync.Mutex // one message at a time
	events chan Event

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan message
	err     error // why the connection ended; set once
	done    chan struct{}
	// readDone is closed when readLoop has returned.
	readDone chan struct{}
}

// Dial connects to a DevTools WebSocket URL, "ws://127.0.0.1:PORT/devtools/browser/ID".
func Dial(ctx context.Context, url string) (*Conn, error) {
	cfg, err := websocket.NewConfig(url, Origin)
	if err != nil {
		return nil, fmt.Errorf("cdp: %w", err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("cdp: dial %s: %w", url, err)
	}
	// Screenshots arrive as one base64 frame; a big page stays well below.
	ws.MaxPayloadBytes = 64 << 20
	return newConn(wsTransport{ws}), nil
}

// newConn starts a connection's reader on t.
func newConn(t transport) *Conn {
	c := &Conn{t: t, events: make(chan Event, eventBuffer), pending: map[int64]chan message{},
		done: make(chan struct{}), readDone: make(chan struct{})}
	go c.readLoop()
	return c
}

// readLoop hands each answer to its caller until the connection ends.
func (c *Conn) readLoop() {
	defer close(c.readDone)
	for {
		data, err := c.t.receive()
		if err != nil {
			c.fail(fmt.Errorf("cdp: connection lost: %w", err))
			return
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			c.fail(fmt.Errorf("cdp: bad message from the browser: %w", err))
			return
		}
		if m.ID == 0 {
			select {
			case c.events <- Event{Session: m.SessionID, Method: m.Method, Params: m.Params}:
			default: // nobody reads this many; waits for an event time out
			}
			continue
		}
		c.mu.Lock()
		ch := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m // buffered: the caller may have given up
		}
	}
}

// fail ends the connection with err and wakes every caller.
func (c *Conn) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	close(c.done)
	_ = c.t.close()
}

// Call sends method with params (nil for none) to the browser, or to the
// page of session if it is not "", and decodes the result into result
// (nil to ignore it). It returns when the answer arrives, ctx ends or the
// connection is lost.
func (c *Conn) Call(ctx context.Context, session, method string, params, result any) error {
	ch := make(chan message, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	var raw json.RawMessage
	if params != nil {
		var err error
		if raw, err = json.Marshal(params); err != nil {
			return fmt.Errorf("cdp: %s: %w", method, err)
		}
	}
	data, err := json.Marshal(message{ID: id, SessionID: session, Method: method, Params: raw})
	if err != nil {
		return fmt.Errorf("cdp: %s: %w", method, err)
	}
	c.wmu.Lock()
	err = c.t.send(data)
	c.wmu.Unlock()
	if err != nil {
		c.fail(fmt.Errorf("cdp: connection lost: %w", err))
		return c.closedErr()
	}

	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %w", method, m.Error)
		}
		if result == nil || len(m.Result) == 0 {
			return nil
		}
		if err := json.Unmarshal(m.Result, result); err != nil {
			return fmt.Errorf("cdp: %s: decoding the result: %w", method, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cdp: %s: %w", method, ctx.Err())
	case <-c.done:
		return c.closedErr()
	}
}

func (c *Conn) closedErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// ErrClosed is the error of calls on a connection Close ended.
var ErrClosed = errors.New("cdp: connection closed")

// Close ends the connection and waits for its reader to stop; calls
// still waiting return ErrClosed.
func (c *Conn) Close() error {
	c.fail(ErrClosed)
	<-c.readDone
	return nil
}

// Events returns the channel of events the browser sends.
func (c *Conn) Events() <-chan Event { return c.events }

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }
