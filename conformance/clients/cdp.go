package clients

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// cdpOrigin is the Origin the DevTools client sends; Chromium is started
// with --remote-allow-origins naming it.
const cdpOrigin = "http://127.0.0.1"

// cdpMessage is every DevTools message: a call, its answer or an event.
type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
		Data    string `json:"data,omitempty"`
	} `json:"error,omitempty"`
}

// cdpEvent is an event the browser sent.
type cdpEvent struct {
	Session string
	Method  string
	Params  json.RawMessage
}

// eventBuffer bounds the events waiting for a reader; a page load makes a
// few dozen.
const eventBuffer = 1024

// cdpConn is a DevTools connection: calls from any goroutine, events on
// one channel.
type cdpConn struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	events chan cdpEvent

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan cdpMessage
	err      error
	done     chan struct{}
	readDone chan struct{}
}

// dialCDP connects to a DevTools WebSocket URL.
func dialCDP(ctx context.Context, url string) (*cdpConn, error) {
	cfg, err := websocket.NewConfig(url, cdpOrigin)
	if err != nil {
		return nil, err
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("devtools: %w", err)
	}
	ws.MaxPayloadBytes = 64 << 20 // a response body comes back in one frame
	c := &cdpConn{ws: ws, events: make(chan cdpEvent, eventBuffer), pending: map[int64]chan cdpMessage{},
		done: make(chan struct{}), readDone: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

func (c *cdpConn) readLoop() {
	defer close(c.readDone)
	for {
		var data []byte
		if err := websocket.Message.Receive(c.ws, &data); err != nil {
			c.fail(fmt.Errorf("devtools: connection lost: %w", err))
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.fail(fmt.Errorf("devtools: bad message: %w", err))
			return
		}
		if m.ID == 0 {
			select {
			case c.events <- cdpEvent{Session: m.SessionID, Method: m.Method, Params: m.Params}:
			default: // nobody is listening for this many; the waits time out
			}
			continue
		}
		c.mu.Lock()
		ch := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

func (c *cdpConn) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	close(c.done)
	_ = c.ws.Close()
}

// call sends a method to the browser (session "") or a page and decodes
// its result into result (nil to drop it).
func (c *cdpConn) call(ctx context.Context, session, method string, params, result any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan cdpMessage, 1)
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
	data, err := json.Marshal(cdpMessage{ID: id, SessionID: session, Method: method, Params: raw})
	if err != nil {
		return err
	}
	c.wmu.Lock()
	err = websocket.Message.Send(c.ws, string(data)) // a text frame: DevTools drops binary ones
	c.wmu.Unlock()
	if err != nil {
		c.fail(fmt.Errorf("devtools: connection lost: %w", err))
		return err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("devtools: %s: %s %s", method, m.Error.Message, m.Error.Data)
		}
		if result != nil && len(m.Result) > 0 {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("devtools: %s: %w", method, ctx.Err())
	case <-c.done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.err
	}
}

// errCDPClosed ends the calls of a closed connection.
var errCDPClosed = errors.New("devtools: connection closed")

// close ends the connection and waits for its reader.
func (c *cdpConn) close() {
	c.fail(errCDPClosed)
	<-c.readDone
}
