package cdp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
	"golang.org/x/net/websocket"
)

const testTimeout = 10 * time.Second

// fakeBrowser answers DevTools calls: Echo returns its params, Fail an
// error, Hang nothing, Drop closes the connection, Garbage sends a frame
// that is not JSON. An event precedes every answer, as a browser's would.
func fakeBrowser(t *testing.T) string {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	handler := websocket.Handler(func(ws *websocket.Conn) {
		var wmu sync.Mutex
		send := func(v any) {
			data, _ := json.Marshal(v)
			wmu.Lock()
			defer wmu.Unlock()
			_ = websocket.Message.Send(ws, string(data))
		}
		for {
			var in struct {
				ID        int64           `json:"id"`
				SessionID string          `json:"sessionId"`
				Method    string          `json:"method"`
				Params    json.RawMessage `json:"params"`
			}
			if err := websocket.JSON.Receive(ws, &in); err != nil {
				return
			}
			send(map[string]any{"method": "Page.somethingHappened", "params": map[string]any{}})
			switch in.Method {
			case "Echo":
				send(map[string]any{"id": in.ID, "result": map[string]any{"params": in.Params, "session": in.SessionID}})
			case "Fail":
				send(map[string]any{"id": in.ID, "error": map[string]any{"code": -32000, "message": "no such thing", "data": "detail"}})
			case "Hang":
			case "Drop":
				ws.Close()
				return
			case "Garbage":
				wmu.Lock()
				_ = websocket.Message.Send(ws, "{not json")
				wmu.Unlock()
			}
		}
	})
	srv := &http.Server{Handler: handler}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "ws://" + ln.Addr().String() + "/devtools/browser/x"
}

func dial(t *testing.T) *Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := Dial(ctx, fakeBrowser(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestCall(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		session string
		params  any
		want    string
		wantErr string
	}{
		{"answer", "Echo", "", map[string]int{"x": 1}, `{"params":{"x":1},"session":""}`, ""},
		{"to a page", "Echo", "S1", nil, `{"params":null,"session":"S1"}`, ""},
		{"browser error", "Fail", "", nil, "", "Fail: cdp: no such thing (detail)"},
		{"no answer", "Hang", "", nil, "", "cdp: Hang: context deadline exceeded"},
		{"connection dropped", "Drop", "", nil, "", "cdp: connection lost"},
		{"not JSON", "Garbage", "", nil, "", "cdp: bad message from the browser"},
		{"params that do not encode", "Echo", "", func() {}, "", "cdp: Echo: json: unsupported type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			var got json.RawMessage
			err := c.Call(ctx, tt.session, tt.method, tt.params, &got)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
		})
	}
}

// A lost connection fails every later call at once.
func TestCallAfterLoss(t *testing.T) {
	c := dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	require.Error(t, c.Call(ctx, "", "Drop", nil, nil))
	<-c.Done()
	err := c.Call(ctx, "", "Echo", nil, nil)
	assert.ErrorContains(t, err, "connection lost")
}

// Close wakes a call still waiting.
func TestCloseWakesCalls(t *testing.T) {
	c := dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- c.Call(ctx, "", "Hang", nil, nil) }()
	// Wait until the call is registered before closing.
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.pending) == 1
	}, testTimeout, time.Millisecond)
	require.NoError(t, c.Close())
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, ErrClosed)
	case <-ctx.Done():
		t.Fatal("the call did not return after Close")
	}
}

// Calls from several goroutines get their own answers.
func TestConcurrentCalls(t *testing.T) {
	c := dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got struct{ Params struct{ N int } }
			assert.NoError(t, c.Call(ctx, "", "Echo", map[string]int{"n": i}, &got))
			assert.Equal(t, i, got.Params.N)
		}()
	}
	wg.Wait()
}

func TestDialError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	_, err = Dial(ctx, "ws://"+addr+"/devtools/browser/x")
	assert.ErrorContains(t, err, "cdp: dial ws://"+addr)
	_, err = Dial(ctx, "::not a url")
	assert.Error(t, err)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}
