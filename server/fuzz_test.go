package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
)

// The fuzz targets feed arbitrary request bytes to the server with the
// conformance fixture installed and check what must hold for any input: no
// panic, a response that is empty or starts with "HTTP/1.0 ", exactly one
// close, a bounded response and bounded allocation. Seeds live in
// testdata/fuzz/<target>; `make fuzz` runs each target for FUZZTIME.

const (
	// fuzzMaxBig caps the fixture's /big/N route so that an input cannot
	// ask for a gigabyte by design; the bound below is about the server.
	fuzzMaxBig = 99_999
	// fuzzMaxResponse bounds any response: the largest /big body, or an
	// error page quoting at most a 1024-byte request.
	fuzzMaxResponse = 128 << 10
	// fuzzMaxAlloc bounds the heap one request may allocate.
	fuzzMaxAlloc = 8 << 20
)

// Read modes of FuzzServeConn's fake connection.
const (
	modeEOF         = iota // the chunks, then io.EOF on its own
	modeEOFWithData        // the first chunk comes with io.EOF
	modeReset              // the first chunk comes with ECONNRESET
	modeWriteFails         // the chunks, then EOF; writes fail after limit bytes
	numModes
)

// fuzzConn is an in-memory connection: fast enough for the fuzzer, and it
// records every write and close.
type fuzzConn struct {
	chunks     [][]byte
	mode       int
	writeLimit int // -1: unlimited
	out        bytes.Buffer
	closes     int
}

func (c *fuzzConn) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	if len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	switch c.mode {
	case modeEOFWithData:
		if len(c.chunks) == 0 {
			return n, io.EOF
		}
	case modeReset:
		c.chunks = nil
		return n, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return n, nil
}

func (c *fuzzConn) Write(p []byte) (int, error) {
	if c.writeLimit >= 0 && c.out.Len()+len(p) > c.writeLimit {
		n := c.writeLimit - c.out.Len()
		c.out.Write(p[:n])
		return n, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
	}
	return c.out.Write(p)
}

func (c *fuzzConn) Close() error                     { c.closes++; return nil }
func (c *fuzzConn) LocalAddr() net.Addr              { return fuzzAddr }
func (c *fuzzConn) RemoteAddr() net.Addr             { return fuzzAddr }
func (c *fuzzConn) SetDeadline(time.Time) error      { return nil }
func (c *fuzzConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fuzzConn) SetWriteDeadline(time.Time) error { return nil }

var fuzzAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}

// fuzzListener is a listener that is never accepted from: FuzzServeConn
// hands connections to serveConn itself.
type fuzzListener struct{}

func (fuzzListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fuzzListener) Close() error              { return nil }
func (fuzzListener) Addr() net.Addr            { return fuzzAddr }

// installFuzzFixture installs the conformance fixture with /big/N capped.
func installFuzzFixture(s *HttpServer) {
	installFixture(s)
	get, _ := s.handlers()
	s.GetHandler(func(request string, conn *Conn) error {
		if d := digitsAfter(fixturePath(request), "/big/"); d != "" {
			if n, err := strconv.Atoi(d); err == nil && n > fuzzMaxBig {
				return s.SendErrorPage(errors.New("too big for fuzzing"), conn, StatusNotFound, nil)
			}
		}
		return get(request, conn)
	})
}

// heapAllocs returns the bytes allocated on the heap so far.
func heapAllocs() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// FuzzServeConn serves one connection through serveConn, the path every
// accepted connection takes: the single read, decoding, dispatch by
// prefix, the fixture's handlers, error pages, and failing reads and
// writes. split cuts the input into two segments (the second is never
// read, as on the device); mode picks how reads end; limit is where writes
// start failing in modeWriteFails; micro selects MicroPython's runtime.
func FuzzServeConn(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: europi\r\n\r\n"), uint16(0), uint8(modeEOF), uint16(0), false)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, mode uint8, limit uint16, micro bool) {
		cut := len(data)
		if split > 0 {
			cut = int(split) % (len(data) + 1)
		}
		conn := &fuzzConn{chunks: [][]byte{data[:cut], data[cut:]}, mode: int(mode % numModes), writeLimit: -1}
		if conn.mode == modeWriteFails {
			conn.writeLimit = int(limit)
		}
		s := New(fuzzListener{})
		s.StallWarning = -1
		if micro {
			s.Runtime = pyrt.MicroPython
		}
		installFuzzFixture(s)
		var logs []RequestLog
		s.OnRequest = func(l RequestLog) { logs = append(logs, l) }

		before := heapAllocs()
		result, err := s.serveConn(context.Background(), conn)
		allocated := heapAllocs() - before

		resp := conn.out.Bytes()
		require.Equal(t, 1, conn.closes, "the connection must be closed exactly once")
		require.Len(t, logs, 1, "one log entry per connection")
		entry := logs[0]
		assert.LessOrEqual(t, len(resp), fuzzMaxResponse)
		assert.LessOrEqual(t, allocated, uint64(fuzzMaxAlloc), "heap bytes allocated for one request")
		assert.Equal(t, len(resp), entry.Bytes)
		want := data[:min(cut, RequestLimit)]
		assert.Equal(t, string(want), string(entry.Request), "the server must see exactly the first segment, cut at %d bytes", RequestLimit)

		switch conn.mode {
		case modeReset:
			assert.Equal(t, connOSError, result)
			assert.Empty(t, resp, "nothing is sent after a failed read")
		case modeWriteFails:
			// A failed write may cut even the status line.
			if len(resp) < len("HTTP/1.0 ") {
				assert.True(t, strings.HasPrefix("HTTP/1.0 ", string(resp)), "%q", resp)
			} else {
				assert.True(t, bytes.HasPrefix(resp, []byte("HTTP/1.0 ")), "%q", resp)
			}
			assert.LessOrEqual(t, len(resp), int(limit))
		default:
			assert.Equal(t, connServed, result, "%v", err)
			assert.NoError(t, err)
			if len(resp) == 0 {
				assert.Equal(t, OutcomeNoResponse, entry.Outcome)
				return
			}
			require.True(t, bytes.HasPrefix(resp, []byte("HTTP/1.0 ")), "%q", resp)
			code, err := strconv.Atoi(string(resp[len("HTTP/1.0 "):][:3]))
			require.NoError(t, err)
			_, known := StatusText(code)
			assert.True(t, known, "status %d is not in upstream's table", code)
			assert.Equal(t, code, entry.Status)
			assert.True(t, bytes.Contains(resp, []byte("\r\ncharset=utf-8\r\n")), "%q", resp)
		}
	})
}

// FuzzServeTCP sends each input over a real loopback connection to a
// running Serve loop, then half-closes, and checks that the server always
// answers with nothing or "HTTP/1.0 ", and always closes (cleanly, or with
// a reset over unread input) well within the deadline: no input may stall
// the loop.
func FuzzServeTCP(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: europi\r\n\r\n"))
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(f, err)
	s := New(ln)
	s.StallWarning = -1
	installFuzzFixture(s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	f.Cleanup(func() {
		cancel()
		<-done
		_ = s.Close()
	})
	addr := ln.Addr().String()

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := net.DialTimeout("tcp", addr, testDeadline)
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.SetDeadline(time.Now().Add(testDeadline)))
		// The server may answer and close before reading everything; a
		// write that fails with a reset or broken pipe is the device's
		// behaviour, not a failure.
		if _, err := c.Write(data); err == nil {
			_ = c.(*net.TCPConn).CloseWrite()
		} else {
			require.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE), "write: %v", err)
		}
		var out bytes.Buffer
		_, err = io.Copy(&out, io.LimitReader(c, fuzzMaxResponse+1))
		if err != nil {
			require.True(t, errors.Is(err, syscall.ECONNRESET), "the server must close, not stall: %v", err)
		}
		resp := out.Bytes()
		assert.LessOrEqual(t, len(resp), fuzzMaxResponse)
		if len(resp) > 0 {
			// A reset can cut the response anywhere, even in the status line.
			n := min(len(resp), len("HTTP/1.0 "))
			assert.Equal(t, "HTTP/1.0 "[:n], string(resp[:n]), "%q", resp)
		}
	})
}
