package emulator

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// stepsScript answers GET with "ok" after several thousand steps of work:
// under a step limit of 20,000 one call fits and five would not. A POST
// makes the next GET run far past the limit.
const stepsScript = `server = HttpServer()
def get(request = None, connection = None):
    n = 0
    for i in range(1000):
        n += i
    if state.get("fail_next"):
        state["fail_next"] = False
        for i in range(100000):
            n += i
    server.send_response(connection, "ok %d" % n, content_type = "text/plain")
def post(request = None, connection = None):
    state["fail_next"] = True
    server.send_response(connection, "armed", content_type = "text/plain")
server.get_handler(get)
server.post_handler(post)
`

// Handler calls share one thread, and each starts with its own step count
// and limits; a call that hits a limit retires the thread, and the next
// call runs in a new one.
func TestHandlerCallsReuseTheirThread(t *testing.T) {
	em, err := New(Config{Source: []byte(stepsScript), ScriptName: "steps.star", StepLimit: 20000})
	require.NoError(t, err)
	addr := startServing(t, em)
	get := func() string { return string(exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))) }

	for i := range 5 {
		reply := get()
		assert.True(t, strings.HasSuffix(reply, "ok 499500"), "call %d: the step count must start again at each call: %q", i, reply)
	}
	first := handlerThread(em)
	require.NotNil(t, first)
	assert.Same(t, first, handlerThread(em))

	assert.Contains(t, string(exchange(t, addr, []byte("POST / HTTP/1.1\r\n\r\n"))), "armed")
	assert.Contains(t, get(), "step limit of 20000 exceeded")
	assert.Nil(t, handlerThread(em), "a cancelled thread is retired")
	assert.True(t, strings.HasSuffix(get(), "ok 499500"), "the next call runs in a new thread")
	again := handlerThread(em)
	require.NotNil(t, again)
	assert.NotSame(t, first, again)
}

// handlerThread returns the thread em's next handler call would reuse, or
// nil.
func handlerThread(em *Emulator) *starlark.Thread {
	em.calls.Lock()
	defer em.calls.Unlock()
	if em.handlerCall == nil {
		return nil
	}
	return em.handlerCall.run.thread
}

// A watchdog check that comes after its run finished does nothing: it
// cannot cancel the next run of the same thread.
func TestFinishedRunIsNotChecked(t *testing.T) {
	e := &env{ctx: context.Background()}
	r := newRunWatch(e)
	r.start("test", DefaultStepLimit, DefaultMemoryLimit, time.Nanosecond)
	r.finish()
	time.Sleep(time.Millisecond) // past the deadline of the finished run
	r.check()
	assert.False(t, e.timedOut.Load())
	assert.False(t, e.cancelled())

	r.start("test", DefaultStepLimit, DefaultMemoryLimit, time.Nanosecond)
	defer r.finish()
	time.Sleep(time.Millisecond)
	r.check()
	assert.True(t, e.timedOut.Load(), "a running run past its deadline is stopped")
}

// The memory watch's first look takes the base; later looks measure the
// growth from it.
func TestMemoryWatchBaseIsTheFirstLook(t *testing.T) {
	w := newMemoryWatch(&starlark.Thread{}, 1<<20) // no watchdog: the test looks itself
	based := func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.based }
	assert.False(t, based())
	ballast := make([]byte, 8<<20) // grown before the first look: not counted
	runtime.GC()                   // no garbage of earlier tests in the base, to vanish later
	w.check()
	require.True(t, based())
	assert.Nil(t, w.exceeded())
	more := make([]byte, 8<<20) // grown after it, and kept: past the 1 MiB limit
	w.check()
	require.NotNil(t, w.exceeded())
	assert.Contains(t, w.exceeded().Error(), "memory limit of 1 MiB exceeded")
	runtime.KeepAlive(ballast)
	runtime.KeepAlive(more)
}

// The watchdog tells a thread's runs apart, so a reused thread's next call
// is not taken for a lasting one.
func TestRunWatchNumbersItsRuns(t *testing.T) {
	e := &env{ctx: context.Background()}
	r := newRunWatch(e)
	r.start("first", DefaultStepLimit, DefaultMemoryLimit, time.Hour)
	first := r.check()
	assert.NotZero(t, first)
	assert.Equal(t, first, r.check(), "the same run, looked at twice")
	r.finish()
	assert.Zero(t, r.check(), "no run")
	r.start("second", DefaultStepLimit, DefaultMemoryLimit, time.Hour)
	defer r.finish()
	assert.NotEqual(t, first, r.check(), "the next run is another")
}

func TestWatchdogAddsAndRemovesRuns(t *testing.T) {
	w := &watchdog{running: true} // no goroutine: the test looks at the list
	runs := make([]*runWatch, 4)
	for i := range runs {
		runs[i] = newRunWatch(&env{ctx: context.Background()})
		w.watch(runs[i])
	}
	check := func(want ...*runWatch) {
		t.Helper()
		assert.ElementsMatch(t, want, w.runs)
		for i, r := range w.runs {
			assert.Equal(t, i, r.slot, "the slot of the run at %d", i)
		}
	}
	check(runs...)
	w.unwatch(runs[1])
	check(runs[0], runs[2], runs[3])
	w.unwatch(runs[3])
	check(runs[0], runs[2])
	w.unwatch(runs[0])
	w.unwatch(runs[2])
	check()
	w.watch(runs[1])
	check(runs[1])
}
