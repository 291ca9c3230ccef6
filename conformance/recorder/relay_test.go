package recorder

import (
	"bytes"
	"context"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// testDeadline bounds every read and write of these tests.
const testDeadline = 5 * time.Second

// startRelay runs r on a local listener until the test ends and returns
// its address and the sessions it reports.
func startRelay(t *testing.T, r *Relay) (string, <-chan *Session) {
	t.Helper()
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	sessions := make(chan *Session, 16)
	r.OnSession = func(s *Session) { sessions <- s }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return ln.Addr().String(), sessions
}

// dial connects a client to addr with the test deadline.
func dial(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, testDeadline)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(testDeadline)))
	return c.(*net.TCPConn)
}

// next waits for the next session.
func next(t *testing.T, sessions <-chan *Session) *Session {
	t.Helper()
	select {
	case s := <-sessions:
		return s
	case <-time.After(testDeadline):
		t.Fatal("no session reported")
		return nil
	}
}

// readAll reads to the end and returns what came and the error that ended
// it (nil for EOF).
func readAll(c net.Conn) ([]byte, error) {
	var buf bytes.Buffer
	_, err := io.Copy(&buf, c)
	return buf.Bytes(), err
}

func TestRelayForwardsBytesUnchanged(t *testing.T) {
	request := []byte("GET /\x00\xff HTTP/1.0\r\n\r\n")
	head := []byte("HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\nX-One=1\r\n\r\n")
	body := []byte("caf\xc3\xa9 \xff\n")
	got := make(chan []byte, 1)
	upstream := testnet.Serve(t, func(c *net.TCPConn) {
		buf := make([]byte, 1024)
		n, _ := c.Read(buf)
		got <- buf[:n]
		_, _ = c.Write(head)
		_, _ = c.Write(body)
	})
	addr, sessions := startRelay(t, &Relay{Upstream: upstream})

	c := dial(t, addr)
	_, err := c.Write(request)
	require.NoError(t, err)
	resp, err := readAll(c)
	require.NoError(t, err)
	require.NoError(t, c.Close()) // as a client does at EOF; the session ends with it
	assert.Equal(t, append(append([]byte{}, head...), body...), resp)
	assert.Equal(t, request, <-got)

	s := next(t, sessions)
	assert.Equal(t, OutcomeRecorded, s.Outcome)
	assert.Equal(t, request, s.Sent())
	assert.Equal(t, resp, s.Received())
	assert.Equal(t, EventFIN, s.ServerEnd())
	assert.Equal(t, 1, s.Seq)
	assert.Equal(t, c.LocalAddr().String(), s.Client)
	for i := 1; i < len(s.Events); i++ {
		assert.LessOrEqual(t, s.Events[i-1].At, s.Events[i].At, "events in time order")
	}
}

func TestRelayPassesOnHalfClose(t *testing.T) {
	upstream := testnet.Serve(t, func(c *net.TCPConn) {
		// Only a FIN from the relay ends this read.
		req, err := readAll(c)
		if err == nil {
			_, _ = c.Write(append([]byte("HTTP/1.0 200 OK\r\n\r\n"), req...))
		}
	})
	addr, sessions := startRelay(t, &Relay{Upstream: upstream})
	c := dial(t, addr)
	_, err := c.Write([]byte("hello"))
	require.NoError(t, err)
	require.NoError(t, c.CloseWrite())
	resp, err := readAll(c)
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.0 200 OK\r\n\r\nhello", string(resp))

	s := next(t, sessions)
	var kinds []EventKind
	for _, e := range s.Events {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []EventKind{EventSend, EventShutdown, EventRecv, EventFIN}, kinds)
	assert.Equal(t, "send \"hello\"\nshutdown\n", stepsText(Steps(s)))
}

func TestRelayPassesOnResets(t *testing.T) {
	t.Run("from the server", func(t *testing.T) {
		upstream := testnet.Serve(t, func(c *net.TCPConn) {
			_, _ = c.Read(make([]byte, 1024))
			_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n"))
			_ = c.SetLinger(0)
		})
		addr, sessions := startRelay(t, &Relay{Upstream: upstream})
		c := dial(t, addr)
		_, err := c.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
		require.NoError(t, err)
		_, err = readAll(c)
		assert.ErrorIs(t, err, syscall.ECONNRESET)
		s := next(t, sessions)
		assert.Equal(t, EventRST, s.ServerEnd())
		assert.Equal(t, "HTTP/1.0 200 OK\r\n", string(s.Received()))
	})
	t.Run("from the client", func(t *testing.T) {
		got, serverErr := make(chan struct{}), make(chan error, 1)
		upstream := testnet.Serve(t, func(c *net.TCPConn) {
			_, _ = c.Read(make([]byte, 1024))
			close(got)
			_, err := readAll(c)
			serverErr <- err
		})
		addr, sessions := startRelay(t, &Relay{Upstream: upstream})
		c := dial(t, addr)
		_, err := c.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
		require.NoError(t, err)
		<-got // the relay has passed the request on
		require.NoError(t, c.SetLinger(0))
		require.NoError(t, c.Close())
		assert.ErrorIs(t, <-serverErr, syscall.ECONNRESET)
		s := next(t, sessions)
		assert.Equal(t, EventKind(""), s.ServerEnd())
		assert.Equal(t, EventReset, s.Events[len(s.Events)-1].Kind)
	})
}

func TestRelayByteCap(t *testing.T) {
	upstream := testnet.Serve(t, func(c *net.TCPConn) { _, _ = readAll(c) })
	addr, sessions := startRelay(t, &Relay{Upstream: upstream, MaxBytes: 100})
	c := dial(t, addr)
	_, _ = c.Write(bytes.Repeat([]byte("a"), 200))
	_, err := readAll(c)
	assert.ErrorIs(t, err, syscall.ECONNRESET, "the relay resets a connection over the cap")
	s := next(t, sessions)
	assert.Equal(t, OutcomeOverCap, s.Outcome)
	assert.Contains(t, s.Err, "more than 100 bytes")
}

func TestRelayIdleTimeout(t *testing.T) {
	upstream := testnet.Serve(t, func(c *net.TCPConn) { _, _ = readAll(c) })
	addr, sessions := startRelay(t, &Relay{Upstream: upstream, Idle: 100 * time.Millisecond})
	c := dial(t, addr)
	start := time.Now()
	data, err := readAll(c)
	assert.NoError(t, err)
	assert.Empty(t, data)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	s := next(t, sessions)
	assert.Equal(t, OutcomeRecorded, s.Outcome)
	assert.Equal(t, EventTimeout, s.ServerEnd())
	sc, err := Scenario(s, ID(s.Seq, s.Sent()))
	require.NoError(t, err)
	assert.Equal(t, 100*time.Millisecond, sc.Timeout)
}

func TestRelayStopsCleanly(t *testing.T) {
	got := make(chan struct{})
	upstream := testnet.Serve(t, func(c *net.TCPConn) {
		_, _ = c.Read(make([]byte, 1))
		close(got)
		_, _ = readAll(c)
	})
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	sessions := make(chan *Session, 1)
	r := &Relay{Upstream: upstream, OnSession: func(s *Session) { sessions <- s }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx, ln) }()

	c := dial(t, ln.Addr().String())
	_, err = c.Write([]byte("G"))
	require.NoError(t, err)
	<-got // open on both sides
	cancel()
	require.NoError(t, <-done)
	s := next(t, sessions)
	assert.Equal(t, OutcomeInterrupted, s.Outcome)
	_, err = readAll(c)
	assert.ErrorIs(t, err, syscall.ECONNRESET, "the client learns the connection is gone")
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	assert.Error(t, err, "the listener is closed")
}

func TestRelayUnreachableUpstream(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	gone := ln.Addr().String()
	require.NoError(t, ln.Close())
	addr, sessions := startRelay(t, &Relay{Upstream: gone})
	// The reset may come before the connect has returned, or after.
	c, err := net.DialTimeout("tcp", addr, testDeadline)
	if err == nil {
		defer c.Close()
		require.NoError(t, c.SetDeadline(time.Now().Add(testDeadline)))
		_, err = readAll(c)
	}
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	s := next(t, sessions)
	assert.Equal(t, OutcomeNoUpstream, s.Outcome)
	assert.Contains(t, s.Err, "refused")
}

func TestRelayKeepsTheAnswerOfAClientThatLeft(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 50000)
	upstream := testnet.Serve(t, func(c *net.TCPConn) {
		// Answer once the client has gone: the relay passes its FIN on.
		if _, err := readAll(c); err == nil {
			_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n\r\n"))
			_, _ = c.Write(big)
		}
	})
	addr, sessions := startRelay(t, &Relay{Upstream: upstream})
	c := dial(t, addr)
	_, err := c.Write([]byte("GET /big HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, c.Close())

	s := next(t, sessions)
	assert.Equal(t, OutcomeRecorded, s.Outcome)
	assert.Equal(t, EventFIN, s.ServerEnd())
	assert.Len(t, s.Received(), len("HTTP/1.0 200 OK\r\n\r\n")+len(big))
	assert.True(t, s.ClientLeft)
}

func TestRelayNeedsAnUpstream(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	defer ln.Close()
	assert.ErrorContains(t, (&Relay{}).Serve(context.Background(), ln), "no upstream")
}

func TestRelayNumbersFromFirstSeq(t *testing.T) {
	upstream := testnet.Serve(t, func(c *net.TCPConn) {})
	addr, sessions := startRelay(t, &Relay{Upstream: upstream, FirstSeq: 42})
	for want := 42; want < 44; want++ {
		c := dial(t, addr)
		_, _ = readAll(c)
		require.NoError(t, c.Close())
		assert.Equal(t, want, next(t, sessions).Seq)
	}
}

// The recording's sends are the writes the server got: reads within the
// gap go on in one write and are one send; with no gap each read is a
// write and a send of its own. Either way a replay sends the segments the
// server received when it answered.
func TestRelayRecordsTheSegmentsTheServerGot(t *testing.T) {
	tests := []struct {
		name string
		gap  time.Duration
		want []string
	}{
		{"reads within the gap are one write", 500 * time.Millisecond, []string{"GET /text HTTP/1.0\r\n\r\n"}},
		{"no gap: every read is a write", -1, []string{"GET /te", "xt HTTP/1.0\r\n\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reads := make(chan []string, 1)
			upstream := testnet.Serve(t, func(c *net.TCPConn) {
				var got []string
				var all []byte
				buf := make([]byte, 1024)
				for !bytes.HasSuffix(all, []byte("\r\n\r\n")) {
					n, err := c.Read(buf)
					if err != nil {
						break
					}
					got = append(got, string(buf[:n]))
					all = append(all, buf[:n]...)
				}
				reads <- got
				_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n\r\n"))
			})
			addr, sessions := startRelay(t, &Relay{Upstream: upstream, Gap: tt.gap})
			c := dial(t, addr)
			_, err := c.Write([]byte("GET /te"))
			require.NoError(t, err)
			// Far inside the gap, far longer than the server takes to read.
			timer := time.NewTimer(50 * time.Millisecond)
			<-timer.C
			_, err = c.Write([]byte("xt HTTP/1.0\r\n\r\n"))
			require.NoError(t, err)
			_, err = readAll(c)
			require.NoError(t, err)
			require.NoError(t, c.Close())

			assert.Equal(t, tt.want, <-reads, "what the server's reads returned")
			var sends []string
			for _, st := range Steps(next(t, sessions)) {
				if st.Kind == scenario.StepSend {
					sends = append(sends, string(st.Data.Value()))
				}
			}
			assert.Equal(t, tt.want, sends, "the recording's sends")
		})
	}
}
