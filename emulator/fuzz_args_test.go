package emulator

import (
	"context"
	"math"
	"math/big"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
	"golang.org/x/net/nettest"
)

// argsScript passes the values the test sets (state["args"]()) to the
// send_* methods, in the combination mode selects.
const argsScript = `server = HttpServer()

def handle(request = None, connection = None):
    a = state["args"]()
    mode = a["mode"]
    if mode == 0:
        server.send_response(connection, a["response"], status = a["status"], content_type = a["content_type"], headers = a["headers"])
    elif mode == 1:
        server.send_html(connection, a["response"], status = a["status"], headers = a["headers"])
    elif mode == 2:
        server.send_json(connection, a["data"], headers = a["headers"])
    elif mode == 3:
        server.send_error_page(a["data"], connection, status = a["status"], headers = a["headers"])
    elif mode == 4:
        server.send_response(connection, a["response"], status = a["status"], content_type = a["content_type"])
        server.send_json(connection, a["data"], headers = a["headers"])
    elif mode == 5:
        catch(server.send_json, connection, a["data"], headers = a["headers"])
        server.send_error_page(a["response"], connection, status = a["status"])
    else:
        text, err = catch(json.dumps, a["data"])
        server.send_response(connection, text if err == None else err, content_type = MimeTypes.JSON, headers = a["headers"])

server.get_handler(handle)
server.post_handler(handle)
`

// argsModes is how many branches argsScript has.
const argsModes = 7

// argsSource hands the current input's values to the handler, under a
// lock: they are built by the fuzz function and read by the serving
// goroutine.
type argsSource struct {
	mu   sync.Mutex
	args *starlark.Dict
}

func (s *argsSource) set(d *starlark.Dict) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.args = d
}

func (s *argsSource) builtin() *starlark.Builtin {
	return starlark.NewBuiltin("args", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.args, nil
	})
}

// startArgsEmulator serves argsScript under rt until f ends.
func startArgsEmulator(f *testing.F, rt pyrt.Runtime, logs *servedLogs) (addr string, args *argsSource) {
	script := writeFuzzFolder(f)
	require.NoError(f, os.WriteFile(script, []byte(argsScript), 0o644))
	em, err := New(Config{ScriptPath: script, Runtime: rt, StepLimit: fuzzStepLimit, MemoryLimit: fuzzMemoryLimit, Configure: configureFuzz(logs)})
	require.NoError(f, err)
	args = &argsSource{}
	require.NoError(f, em.script().state.SetKey(starlark.String("args"), args.builtin()))
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(f, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()
	f.Cleanup(func() {
		cancel()
		require.NoError(f, <-served)
	})
	return ln.Addr().String(), args
}

// FuzzHandlerArgs passes fuzzed values to send_response, send_html,
// send_json and send_error_page from a fixed script: status codes of any
// size or type, header dicts and non-dicts, content types, responses with
// invalid UTF-8, and nested data with NaN, huge ints, cycles, sets and
// deep nesting (see valueDecoder). Every request gets "HTTP/1.0 " with a
// code from upstream's table, or a close, in time; no handler panic; a
// response and allocation bounded by the input's size.
func FuzzHandlerArgs(f *testing.F) {
	f.Add(uint8(0), int64(200), uint8(0), "text/plain", "hello", []byte{0, 6, 1, 'X', 6, 1, 'y'}, []byte{9, 2, 6, 1, 'k', 5, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 6, 1, 'n', 0})
	f.Add(uint8(2), int64(0), uint8(1), "", "\xff\xfe", []byte{1}, []byte{7, 2, 8, 1, 2, 7, 2, 7, 0})
	var logs [2]*servedLogs
	var addrs [2]string
	var args [2]*argsSource
	for i, rt := range []pyrt.Runtime{pyrt.CPython, pyrt.MicroPython} {
		logs[i] = newServedLogs()
		addrs[i], args[i] = startArgsEmulator(f, rt, logs[i])
	}

	f.Fuzz(func(t *testing.T, mode uint8, status int64, statusKind uint8, contentType, response string, headers, data []byte) {
		rt := int(statusKind>>7) & 1
		d := starlark.NewDict(6)
		set := func(k string, v starlark.Value) { require.NoError(t, d.SetKey(starlark.String(k), v)) }
		set("mode", starlark.MakeInt(int(mode%argsModes)))
		set("status", statusValue(status, statusKind))
		set("content_type", starlark.String(contentType))
		if mode&0x80 != 0 && contentType != "" {
			set("content_type", starlark.MakeInt(len(contentType)))
		}
		set("response", starlark.String(response))
		if mode&0x40 != 0 {
			set("response", newValueDecoder(data).value(0))
		}
		set("headers", headersValue(headers))
		set("data", newValueDecoder(data).value(0))
		args[rt].set(d)

		before := fuzzHeapAllocs()
		reply := fuzzExchange(t, addrs[rt], fuzzRequests[int(mode>>3)&1])
		allocated := fuzzHeapAllocs() - before
		checkServed(t, logs[rt].wait(t, 1))
		// Every input byte becomes at most a few dozen bytes of JSON or
		// repr (a \u00ff escape, a float, "null, " for a missing element).
		bound := 64<<10 + 128*(len(contentType)+len(response)+len(headers)+len(data))
		assert.LessOrEqual(t, len(reply), bound, "response bytes")
		assert.LessOrEqual(t, allocated, uint64(64<<20+512*bound), "heap bytes allocated for one request")
	})
}

// statusValue is the status a handler passes: the fuzzed int, a code from
// upstream's table, an int too big for any machine word, or a string.
func statusValue(status int64, kind uint8) starlark.Value {
	known := []int{200, 400, 401, 403, 404, 408, 418, 500, 501}
	switch kind % 4 {
	case 0:
		return starlark.MakeInt64(status)
	case 1:
		return starlark.MakeInt(known[uint64(status)%uint64(len(known))])
	case 2:
		return starlark.MakeInt64(status).Lsh(70)
	}
	return starlark.String(strconv.FormatInt(status, 10))
}

// headersValue is mostly a dict of header pairs (keys and values decoded
// from spec, any type), sometimes any other value.
func headersValue(spec []byte) starlark.Value {
	if len(spec) == 0 {
		return starlark.None
	}
	dec := newValueDecoder(spec[1:])
	if spec[0]&1 != 0 {
		return dec.value(0)
	}
	d := starlark.NewDict(0)
	for dec.more() {
		_ = d.SetKey(dec.value(1), dec.value(1)) // an unhashable key is left out
	}
	return d
}

// maxDecodedNodes bounds the values one input decodes to, so an input's
// size bounds the work it causes.
const maxDecodedNodes = 2048

// valueDecoder turns fuzz bytes into Starlark values: each byte picks a
// kind, and the bytes after it give its content.
type valueDecoder struct {
	b     []byte
	nodes int
}

func newValueDecoder(b []byte) *valueDecoder { return &valueDecoder{b: b} }

func (d *valueDecoder) more() bool { return len(d.b) > 0 && d.nodes < maxDecodedNodes }

func (d *valueDecoder) byte() byte {
	if len(d.b) == 0 {
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *valueDecoder) take(n int) []byte {
	n = min(n, len(d.b))
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *valueDecoder) uint64() uint64 {
	var buf [8]byte
	copy(buf[:], d.take(8))
	var u uint64
	for i, c := range buf {
		u |= uint64(c) << (8 * i)
	}
	return u
}

// value decodes one value; depth is how deep in containers it is.
func (d *valueDecoder) value(depth int) starlark.Value {
	if !d.more() {
		return starlark.None
	}
	d.nodes++
	kind := d.byte()
	switch kind % 14 {
	case 0:
		return starlark.None
	case 1:
		return starlark.Bool(kind&0x80 != 0)
	case 2:
		return starlark.MakeInt(int(int8(d.byte())))
	case 3:
		return starlark.MakeInt64(int64(d.uint64()))
	case 4: // an int of up to 255 bytes, far beyond int64
		return starlark.MakeBigInt(new(big.Int).SetBytes(d.take(int(d.byte())))).Sub(starlark.MakeInt(int(kind >> 7)))
	case 5: // any float64, NaN and infinities included
		return starlark.Float(math.Float64frombits(d.uint64()))
	case 6: // any bytes, invalid UTF-8 included
		return starlark.String(d.take(int(d.byte())))
	case 7, 8, 9:
		return d.container(kind%14, depth)
	case 10: // not JSON serializable
		s := starlark.NewSet(0)
		_ = s.Insert(starlark.MakeInt(int(d.byte())))
		return s
	case 11: // a list that holds itself
		l := starlark.NewList([]starlark.Value{d.value(depth + 1)})
		_ = l.Append(l)
		return l
	case 12: // nesting around maxJSONDepth, within the node budget
		levels := max(0, min(int(d.byte())*5, maxDecodedNodes-d.nodes))
		d.nodes += levels
		var v starlark.Value = starlark.None
		for range levels {
			v = starlark.NewList([]starlark.Value{v})
		}
		return v
	}
	return starlark.NewBuiltin("f", nil) // not JSON serializable either
}

// container decodes a list (7), a tuple (8) or a dict (9) of up to 15
// elements.
func (d *valueDecoder) container(kind byte, depth int) starlark.Value {
	n := int(d.byte() % 16)
	if depth > 64 {
		n = 0
	}
	var elems []starlark.Value
	dict := starlark.NewDict(n)
	for range n {
		if kind == 9 {
			_ = dict.SetKey(d.value(depth+1), d.value(depth+1)) // an unhashable key is left out
			continue
		}
		elems = append(elems, d.value(depth+1))
	}
	switch kind {
	case 7:
		return starlark.NewList(elems)
	case 8:
		return starlark.Tuple(elems)
	}
	return dict
}
