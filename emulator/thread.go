package emulator

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// envKey is the thread-local key of a run's environment.
const envKey = "europi-http/emulator.env"

// stepCheckInterval is how many steps a thread runs between watchdog checks
// of the step limit and the call depth.
const stepCheckInterval = 1000

// maxCallDepth bounds recursion the way Python's default recursion limit
// does, long before Starlark's own limit of 100,000 frames would have used
// a lot of memory.
const maxCallDepth = 1000

// env is the per-run state a script's builtins reach through their thread,
// in the manner of starlark-go's lib/time: module values stay immutable and
// shared, while everything that belongs to one load or one request lives
// here.
type env struct {
	ctx     context.Context
	io      *IO
	runtime pyrt.Runtime
	logger  *log.Logger
	script  *script
	// srv is the Go server answering the current request; nil while the
	// script loads.
	srv *server.HttpServer
	// loading is true while the script's top level runs: HttpServer() may
	// be called then and only then.
	loading bool
	// stopped is set when the watchdog or the context cancelled the
	// thread, or a builtin panicked, so catch() does not swallow it.
	stopped bool
	// mem bounds the run's memory; its MemoryError also ends the run.
	mem *memoryWatch
	// steps is the run's step limit.
	steps uint64
	// timedOut is set when the run's time limit cancelled it.
	timedOut atomic.Bool
}

// threadEnv returns the environment of thread, or an error when the thread
// was not started by the emulator.
func threadEnv(thread *starlark.Thread) (*env, error) {
	if e, ok := thread.Local(envKey).(*env); ok {
		return e, nil
	}
	return nil, errors.New("not available outside the emulator")
}

// threadIO returns the panel of the thread's emulator.
func threadIO(thread *starlark.Thread) (*IO, error) {
	e, err := threadEnv(thread)
	if err != nil {
		return nil, err
	}
	return e.io, nil
}

// newThread returns a thread for one load or one handler call. It enforces
// limit (steps), maxCallDepth, memLimit (bytes the heap may grow by) and
// timeout (wall-clock time), and is cancelled when e.ctx ends; call the
// returned function when the thread is done.
func newThread(e *env, name string, limit, memLimit uint64, timeout time.Duration) (*starlark.Thread, func()) {
	r := newRunWatch(e)
	r.start(name, limit, memLimit, timeout)
	return r.thread, r.finish
}

// newRunWatch returns a thread for runs in e, and its watch; start each
// run with start and end it with finish.
func newRunWatch(e *env) *runWatch {
	// The hooks are plain functions that find the run through the
	// thread: closures would be allocated on every request.
	thread := &starlark.Thread{Print: threadPrint, Load: threadLoad, OnMaxSteps: onMaxSteps}
	thread.SetLocal(envKey, e)
	return &runWatch{env: e, thread: thread}
}

// threadPrint is print(): a line in the log, after the script's name.
func threadPrint(t *starlark.Thread, msg string) {
	if e, err := threadEnv(t); err == nil {
		e.logger.Printf("%s: %s", e.script.name, msg)
	}
}

// threadLoad refuses load(): a script is one file.
func threadLoad(_ *starlark.Thread, module string) (starlark.StringDict, error) {
	return nil, fmt.Errorf("load(%q): a script is one file; use load_file() to read data next to it", module)
}

// onMaxSteps runs every stepCheckInterval steps: it enforces the step
// limit and the call depth.
func onMaxSteps(t *starlark.Thread) {
	e, err := threadEnv(t)
	if err != nil {
		t.Cancel(err.Error())
		return
	}
	switch {
	case t.ExecutionSteps() >= e.steps:
		e.stopped = true
		t.Cancel(fmt.Sprintf("step limit of %d exceeded (is there an endless loop?)", e.steps))
	case t.CallStackDepth() > maxCallDepth:
		e.stopped = true
		t.Cancel("maximum recursion depth exceeded")
	default:
		t.SetMaxExecutionSteps(min(t.ExecutionSteps()+stepCheckInterval, e.steps))
	}
}

// runWatch is a thread's run, a load or a handler call, and what the
// watchdog checks of it every memorySampleInterval while it runs: its
// context, its wall-clock time and its memory. A call arms no timer of its
// own. A thread that was not cancelled may start another run: handler calls
// reuse theirs, with its frames, so a call allocates neither.
type runWatch struct {
	env    *env
	thread *starlark.Thread

	slot int // its index in the watchdog's runs

	mu       sync.Mutex // serialises check with start and finish
	active   bool
	run      uint64 // counts the runs started, so the watchdog tells them apart
	deadline time.Time
	timeout  time.Duration
}

// start begins a run named name with the limits of newThread, and has the
// watchdog watch it until finish.
func (r *runWatch) start(name string, limit, memLimit uint64, timeout time.Duration) {
	t, e := r.thread, r.env
	t.Name = name
	t.Steps = 0
	e.steps = limit
	e.stopped = false
	e.timedOut.Store(false)
	// The watchdog runs every stepCheckInterval steps instead of letting
	// the interpreter stop at the limit, so it can also bound recursion.
	t.SetMaxExecutionSteps(min(stepCheckInterval, limit))
	if e.mem == nil {
		e.mem = newMemoryWatch(t, memLimit)
	} else {
		e.mem.reset(t, memLimit)
	}
	r.mu.Lock()
	r.active, r.deadline, r.timeout = true, time.Now().Add(timeout), timeout
	r.run++
	r.mu.Unlock()
	runWatchdog.watch(r)
}

// finish ends the run: once it returns, the watchdog no longer looks at
// it, so a check cannot cancel a later run of the same thread.
func (r *runWatch) finish() {
	runWatchdog.unwatch(r)
	r.mu.Lock()
	r.active = false
	r.mu.Unlock()
	r.env.mem.stop()
	r.env.mem.release()
}

// check looks at the run once, cancels it when it must stop, and returns
// which run of the thread it looked at (0: none, the last one finished).
func (r *runWatch) check() (run uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.active {
		// The watchdog took its list of runs before this one finished.
		return 0
	}
	switch {
	case r.env.ctx.Err() != nil:
		r.thread.Cancel("the emulator is shutting down")
	case !time.Now().Before(r.deadline):
		// The step limit does not bound time, since one step (a sort, a
		// join) may take long. Cancel stops the thread at its next step;
		// a single builtin call runs to its end first, which is why the
		// builtins that could run long on their own (str of a deep
		// structure) bound their input instead.
		r.env.timedOut.Store(true)
		r.thread.Cancel(fmt.Sprintf("time limit of %s exceeded (is there an endless loop, or too much work for one request?)", r.timeout))
	default:
		r.env.mem.check()
	}
	return r.run
}

// cancelled reports whether the run was stopped by the step limit, the
// depth limit, the memory limit, the time limit, a builtin's panic or its
// context.
func (e *env) cancelled() bool {
	return e.stopped || e.mem.exceeded() != nil || e.timedOut.Load() || e.ctx.Err() != nil
}
