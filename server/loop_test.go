package server

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckRequestsReturnsWhenNothingIsPending(t *testing.T) {
	s, _ := newTestServer(t)
	require.NoError(t, s.CheckRequests())
	require.NoError(t, s.CheckRequests())
}

func TestCheckRequestsServesEveryPendingConnectionInOrder(t *testing.T) {
	s, _ := newTestServer(t)
	var served []string
	s.OnRequest = func(l RequestLog) { served = append(served, l.Path) }
	var conns []net.Conn
	for _, p := range []string{"/text", "/csv", "/yaml"} {
		c, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
		require.NoError(t, err)
		require.NoError(t, c.SetDeadline(time.Now().Add(testDeadline)))
		_, err = c.Write([]byte("GET " + p + " HTTP/1.0\r\n\r\n"))
		require.NoError(t, err)
		conns = append(conns, c)
	}
	// All three are queued in the backlog; one call serves them all.
	deadline := time.Now().Add(testDeadline)
	for len(served) < 3 && time.Now().Before(deadline) {
		require.NoError(t, s.CheckRequests())
	}
	assert.Equal(t, []string{"/text", "/csv", "/yaml"}, served)
	for _, c := range conns {
		c.Close()
	}
}

func TestConnectThenCloseWouldStopTheDeviceScript(t *testing.T) {
	s, _ := newTestServer(t)
	c, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	// A plain close (FIN, no bytes): recv() returns b"", the blank request
	// gets the 500 page, and writing it to the departed client fails.
	require.NoError(t, c.Close())

	var err2 error
	deadline := time.Now().Add(testDeadline)
	for err2 == nil && time.Now().Before(deadline) {
		err2 = s.CheckRequests()
	}
	var stopped *ScriptStoppedError
	require.ErrorAs(t, err2, &stopped)
	assert.Contains(t, stopped.Error(), "device script would have stopped here")
}

func TestServeKeepsServingAfterAScriptStop(t *testing.T) {
	s, logs := newTestServer(t)
	serveInBackground(t, s)
	c, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	got := rawExchange(t, s.Addr().String(), []byte("GET /text HTTP/1.0\r\n\r\n"))
	assert.Equal(t, textHead+"plain text from EuroPi\n", string(got.Response))
	assert.Contains(t, logs.String(), "device script would have stopped here")
}

func TestServeStopOnScriptError(t *testing.T) {
	s, _ := newTestServer(t)
	s.StopOnScriptError = true
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background()) }()
	c, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	select {
	case err := <-done:
		var stopped *ScriptStoppedError
		require.ErrorAs(t, err, &stopped)
	case <-time.After(testDeadline):
		t.Fatal("Serve did not stop")
	}
}

func TestSilentClientStallsTheLoopAndIsNamed(t *testing.T) {
	s, logs := newTestServer(t)
	s.StallWarning = 20 * time.Millisecond
	serveInBackground(t, s)
	silent, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	defer silent.Close()

	// A second client queues behind the silent one.
	second := make(chan exchange, 1)
	go func() { second <- rawExchange(t, s.Addr().String(), []byte("GET /text HTTP/1.0\r\n\r\n")) }()
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), silent.LocalAddr().String()) },
		testDeadline, 5*time.Millisecond, "no stall warning naming the silent client")
	select {
	case <-second:
		t.Fatal("the second client was served while the silent one held the loop")
	default:
	}
	_, err = silent.Write([]byte("GET /yaml HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	select {
	case got := <-second:
		assert.Equal(t, textHead+"plain text from EuroPi\n", string(got.Response))
	case <-time.After(testDeadline):
		t.Fatal("second client never served")
	}
}

func TestServeReturnsWhenCancelledWhileAClientStalls(t *testing.T) {
	s, _ := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	c, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	defer c.Close()
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.current != nil
	}, testDeadline, time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(testDeadline):
		t.Fatal("Serve hung on a silent client after cancel")
	}
}

func TestCloseEndsServeAndCheckRequests(t *testing.T) {
	s, _ := newTestServer(t)
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background()) }()
	require.NoError(t, s.Close())
	select {
	case err := <-done:
		assert.True(t, errors.Is(err, ErrServerClosed), "got %v", err)
	case <-time.After(testDeadline):
		t.Fatal("Serve did not return after Close")
	}
	assert.ErrorIs(t, s.CheckRequests(), ErrServerClosed)
}

func TestHandlerPanicIs500AndServerGoesOn(t *testing.T) {
	s, logs := newTestServer(t)
	s.GetHandler(func(string, *Conn) error { panic("boom") })
	serveInBackground(t, s)
	for range 2 {
		got := string(rawExchange(t, s.Addr().String(), []byte("GET / HTTP/1.0\r\n\r\n")).Response)
		head := errorHead(500, "Internal Server Error")
		require.True(t, strings.HasPrefix(got, head), got)
		assert.Equal(t, "boom", parseErrorPage(got[len(head):]).Message)
	}
	assert.Contains(t, logs.String(), "handler panic: boom")
}

func TestDroppedSendErrorStillCounts(t *testing.T) {
	s, _ := newTestServer(t)
	s.GetHandler(func(_ string, c *Conn) error {
		_ = s.SendResponse(c, "never", 299, MimeText, nil) // error dropped
		_ = s.SendResponse(c, "also never", 0, MimeText, nil)
		return nil
	})
	serveInBackground(t, s)
	got := string(rawExchange(t, s.Addr().String(), []byte("GET / HTTP/1.0\r\n\r\n")).Response)
	head := errorHead(500, "Internal Server Error")
	require.True(t, strings.HasPrefix(got, head), got)
	assert.Equal(t, "299", parseErrorPage(got[len(head):]).Message)
}

func TestRequestLog(t *testing.T) {
	s, _ := newTestServer(t)
	logs := make(chan RequestLog, 1)
	s.OnRequest = func(l RequestLog) { logs <- l }
	serveInBackground(t, s)
	rawExchange(t, s.Addr().String(), []byte("GET /teapot?x HTTP/1.1\r\n\r\n"))
	select {
	case l := <-logs:
		assert.Equal(t, "GET", l.Method)
		assert.Equal(t, "/teapot?x", l.Path)
		assert.Equal(t, 418, l.Status)
		assert.Equal(t, len(l.Response), l.Bytes)
		assert.Equal(t, "GET /teapot?x HTTP/1.1\r\n\r\n", string(l.Request))
		assert.Empty(t, l.Outcome)
	case <-time.After(testDeadline):
		t.Fatal("no request log")
	}
}
