package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

// Idle connections cannot take more than the dashboard's cap: the rest
// wait in the listen queue, holding no file descriptor of the process, so
// the device port keeps serving; once they are gone the dashboard answers
// again.
func TestIdleConnectionsCapped(t *testing.T) {
	const maxConns, idle = 8, 200
	r := newRig(t, emulator.Config{Example: "status"}, func(d *Dashboard) { d.opts.MaxConns = maxConns })
	addr := strings.TrimSuffix(strings.TrimPrefix(r.base, "http://"), "/")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range idle {
		c, err := net.DialTimeout("tcp", addr, exchangeTimeout)
		require.NoError(t, err)
		conns = append(conns, c)
	}

	assert.Contains(t, string(r.deviceRequest("GET / HTTP/1.1\r\n\r\n")), "HTTP/1.0 200 OK", "the device port serves")
	// Every slot is held by an idle connection (until the header timeout,
	// seconds away), so an API request waits in the queue.
	quick := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := quick.Get(r.base + "api/state")
	require.Error(t, err, "the dashboard took more than %d connections", maxConns)

	for _, c := range conns {
		c.Close()
	}
	conns = nil
	var st emulator.IOState
	r.getJSON("api/state", &st)
	assert.Contains(t, string(r.deviceRequest("GET / HTTP/1.1\r\n\r\n")), "HTTP/1.0 200 OK")
}

// Past MaxStreams an event stream is refused with 503, and a closed one
// frees its place.
func TestEventStreamsCapped(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, func(d *Dashboard) { d.streams = make(chan struct{}, 2) })
	open := func() (*http.Response, context.CancelFunc) {
		ctx, cancel := context.WithTimeout(context.Background(), exchangeTimeout)
		req, err := http.NewRequestWithContext(ctx, "GET", r.base+"api/events", nil)
		require.NoError(t, err)
		resp, err := r.client.Transport.RoundTrip(req)
		require.NoError(t, err)
		return resp, func() { cancel(); resp.Body.Close() }
	}
	first, closeFirst := open()
	second, closeSecond := open()
	defer closeSecond()
	require.Equal(t, http.StatusOK, first.StatusCode)
	require.Equal(t, http.StatusOK, second.StatusCode)
	third, closeThird := open()
	assert.Equal(t, http.StatusServiceUnavailable, third.StatusCode)
	var reply ErrorReply
	require.NoError(t, json.NewDecoder(third.Body).Decode(&reply))
	assert.Contains(t, reply.Error, "too many event streams open (at most 2)")
	closeThird()

	closeFirst()
	require.Eventually(t, func() bool {
		again, closeAgain := open()
		defer closeAgain()
		return again.StatusCode == http.StatusOK
	}, exchangeTimeout, 20*time.Millisecond)
}

// Many streams share the work of a busy device: each log entry and each
// panel version is marshalled once, not once per stream, and every stream
// still gets every entry.
func TestEventFanOutMarshalsOnce(t *testing.T) {
	const streams, requests = 20, 50
	r := newRig(t, emulator.Config{}, nil) // http_control: a POST moves the panel
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	ready := make(chan struct{}, streams)
	for range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- readUntilEntry(r, requests, ready)
		}()
	}
	for range streams {
		<-ready
	}
	for i := range requests {
		r.deviceRequest(fmt.Sprintf("POST / HTTP/1.1\r\n\r\n{\"cv1\": %d}", i%10))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(requests), r.dash.log.marshals.Load(), "each entry marshalled once")
	assert.LessOrEqual(t, r.dash.stateCache.marshals.Load(), int64(requests+1), "each panel version marshalled once at most")
	t.Logf("%d streams, %d requests: %d entry, %d state, %d status marshals", streams, requests,
		r.dash.log.marshals.Load(), r.dash.stateCache.marshals.Load(), r.dash.statusCache.marshals.Load())
}

// readUntilEntry reads an event stream until it has seen entry id, and
// says on ready when its hello arrived.
func readUntilEntry(r *rig, id uint64, ready chan<- struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), 4*exchangeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", r.base+"api/events", nil)
	if err != nil {
		return err
	}
	resp, err := r.client.Transport.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
			if event == "hello" {
				ready <- struct{}{}
			}
		case strings.HasPrefix(line, "data: ") && event == "log":
			var entries []LogEntry
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &entries); err != nil {
				return err
			}
			if len(entries) > 0 && entries[len(entries)-1].ID >= id {
				return nil
			}
		}
	}
	return fmt.Errorf("the stream ended before entry %d: %v", id, sc.Err())
}

// The server reuses the buffers of entries that left the ring: what the
// API shows of an entry is still that entry's bytes while the ring turns
// over under it.
func TestLogBytesSurviveRecycling(t *testing.T) {
	r := newRig(t, emulator.Config{}, func(d *Dashboard) { d.log = newRequestLog(4) })
	const requests = 60
	done := make(chan struct{})
	checked := make(chan int, 1)
	go func() {
		n := 0
		defer func() { checked <- n }()
		for {
			select {
			case <-done:
				return
			default:
			}
			for _, e := range r.dash.log.after(0) {
				d, ok := r.dash.log.get(e.ID)
				if !ok {
					continue
				}
				want := "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n"
				if d.Method == "POST" {
					want = "HTTP/1.0 200 OK\r\nContent-type: text/json\r\n"
				}
				if !strings.HasPrefix(string(d.ResponseBytes), want) || !strings.HasPrefix(string(d.RequestBytes), d.Method+" /") {
					t.Errorf("entry %d (%s): request %.20q, response %.60q", e.ID, d.Method, d.RequestBytes, d.ResponseBytes)
					return
				}
				n++
			}
		}
	}()
	for i := range requests {
		if i%2 == 0 {
			r.deviceRequest("GET / HTTP/1.1\r\n\r\n")
		} else {
			r.deviceRequest(fmt.Sprintf("POST / HTTP/1.1\r\n\r\n{\"cv1\": %d}", i%10))
		}
	}
	r.waitLog(1)
	close(done)
	t.Logf("%d entries checked while %d requests turned a ring of 4 over", <-checked, requests)
}
