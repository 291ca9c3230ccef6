package emulator

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// DefaultStepLimit is the number of Starlark steps one handler call (or the
// script's top level) may take when Config.StepLimit is 0: generous for
// any page a Pico would serve, and a fraction of a second of work.
const DefaultStepLimit = 5_000_000

// DefaultCallTimeout is how long one handler call (or the script's top
// level) may run when Config.CallTimeout is 0: far longer than any page a
// Pico would serve takes, and short enough that a runaway script does not
// hold the device port for long.
const DefaultCallTimeout = 5 * time.Second

// Config says which script an Emulator runs and how. It names the script
// in one of three ways: a file (ScriptPath), an embedded example
// (Example), or a script given directly (Source, or ScriptFS and
// ScriptName); with none of them it runs DefaultExample.
type Config struct {
	// ScriptPath is the handler script, a .star file on disk.
	ScriptPath string
	// Example names an embedded example.
	Example string
	// Source is the handler script's code, for a script that is not a
	// file (an embedded one, say). ScriptName names it in messages
	// ("script.star" when empty); load_file reads from ScriptFS, and
	// finds nothing when ScriptFS is nil.
	Source []byte
	// ScriptFS is the folder of a script given directly: load_file reads
	// from it, and without Source the script itself is the file
	// ScriptName in it.
	ScriptFS fs.FS
	// ScriptName names a script given by Source or ScriptFS: its name in
	// messages, and its file in ScriptFS when Source is nil.
	ScriptName string
	// Watch reloads ScriptPath while serving when it, or a file it read
	// with load_file while loading, changes: within WatchInterval, and
	// before a request, never during one. A script that fails to load is
	// logged and the last good one keeps serving.
	Watch bool
	// IO is the panel the script drives; nil means NewIO().
	IO *IO
	// Runtime selects the runtime whose json.dumps, error texts and
	// request decoding the emulator copies.
	Runtime pyrt.Runtime
	// Logger receives the server's warnings, handler backtraces, print()
	// output and reload notices; nil discards them.
	Logger *log.Logger
	// StepLimit bounds the Starlark steps of one handler call and of the
	// script's top level; 0 means DefaultStepLimit.
	StepLimit uint64
	// CallTimeout bounds the wall-clock time of one handler call and of
	// the script's top level: past it the call ends as the 500 page and
	// the load as a load error; 0 means DefaultCallTimeout.
	CallTimeout time.Duration
	// MemoryLimit bounds, in bytes, how far one handler call or the
	// script's top level may grow the heap before it fails with a
	// MemoryError, and the size of any single allocation a builtin or `*`
	// is about to make; 0 means DefaultMemoryLimit. It is measured on the
	// whole process and so approximate; README.md says what it covers.
	MemoryLimit uint64
	// Configure, if set, is called on the server before it serves, to set
	// OnRequest, StopOnScriptError and the like.
	Configure func(*server.HttpServer)
}

// Emulator runs a handler script as EuroPi's experimental.http_server
// would run the equivalent MicroPython program.
type Emulator struct {
	cfg     Config
	io      *IO
	logger  *log.Logger
	steps   uint64
	memory  uint64
	timeout time.Duration

	mu      sync.Mutex
	current *script
	// seen is the fingerprint of the files last loaded or tried, so a
	// broken edit is reported once rather than on every request.
	seen    [sha256.Size]byte
	serving bool
	status  Status // the reload outcome; Status fills in the rest
	// statusCh is closed and replaced when status changes.
	statusCh chan struct{}

	// calls serialises handler calls with the watcher's reloads, so a
	// script is swapped between requests only.
	calls sync.Mutex
	// handlerCall is the thread and arguments of handler calls, reused
	// from one call to the next; guarded by calls.
	handlerCall *handlerCall
}

// New loads the script cfg names. A script that fails to load gives a
// *ScriptError ("file:line:col: message"); a missing file or an unknown
// example gives another error.
func New(cfg Config) (*Emulator, error) {
	return NewContext(context.Background(), cfg)
}

// NewContext is New with a context: when ctx ends while the script's top
// level runs, the load stops and fails.
func NewContext(ctx context.Context, cfg Config) (*Emulator, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	e := &Emulator{cfg: cfg, io: cfg.IO, logger: cfg.Logger, steps: cfg.StepLimit, memory: cfg.MemoryLimit, timeout: cfg.CallTimeout}
	if e.io == nil {
		e.io = NewIO()
	}
	if e.logger == nil {
		e.logger = log.New(io.Discard, "", 0)
	}
	if e.steps == 0 {
		e.steps = DefaultStepLimit
	}
	if e.memory == 0 {
		e.memory = DefaultMemoryLimit
	}
	if e.timeout == 0 {
		e.timeout = DefaultCallTimeout
	}
	src, err := e.source()
	if err != nil {
		return nil, err
	}
	sc, err := loadScript(ctx, src, e.loadOptions())
	if err != nil {
		return nil, err
	}
	e.current, e.seen = sc, sc.fingerprint()
	return e, nil
}

// check reports a Config that names more than one script, or asks to
// watch one that is not a file.
func (cfg *Config) check() error {
	named := 0
	for _, set := range []bool{cfg.ScriptPath != "", cfg.Example != "", cfg.givenDirectly()} {
		if set {
			named++
		}
	}
	switch {
	case named > 1:
		return errors.New("emulator: set one of a script path, an example or a script's source")
	case cfg.Watch && cfg.ScriptPath == "":
		return errors.New("emulator: watching needs a script path; the examples and a script's source do not change")
	case cfg.Source == nil && cfg.ScriptFS != nil && cfg.ScriptName == "":
		return errors.New("emulator: a script in ScriptFS needs its ScriptName")
	}
	return nil
}

// NamesScript reports whether cfg names a script: a path, an example, or
// one given directly. One that names none runs DefaultExample.
func (cfg *Config) NamesScript() bool {
	return cfg.ScriptPath != "" || cfg.Example != "" || cfg.givenDirectly()
}

// givenDirectly reports whether the script comes from Source or ScriptFS.
func (cfg *Config) givenDirectly() bool {
	return cfg.Source != nil || cfg.ScriptFS != nil || cfg.ScriptName != ""
}

// source reads the configured script.
func (e *Emulator) source() (source, error) {
	cfg := &e.cfg
	switch {
	case cfg.ScriptPath != "":
		code, err := os.ReadFile(cfg.ScriptPath)
		if err != nil {
			return source{}, fmt.Errorf("emulator: %w", err)
		}
		return source{name: cfg.ScriptPath, code: code, files: diskFolder{filepath.Dir(cfg.ScriptPath)}}, nil
	case cfg.givenDirectly():
		return givenSource(cfg.Source, cfg.ScriptFS, cfg.ScriptName)
	}
	name := cfg.Example
	if name == "" {
		name = DefaultExample
	}
	return exampleSource(name)
}

// givenSource is a script given as code or as a file of fsys.
func givenSource(code []byte, fsys fs.FS, name string) (source, error) {
	if name == "" {
		name = "script.star"
	}
	var files folder = noFolder{}
	if fsys != nil {
		files = fsFolder{fsys}
	}
	if code == nil {
		var err error
		if code, err = fs.ReadFile(fsys, name); err != nil {
			return source{}, fmt.Errorf("emulator: %w", err)
		}
	}
	return source{name: name, code: code, files: files}, nil
}

func (e *Emulator) loadOptions() loadOptions {
	return loadOptions{io: e.io, runtime: e.cfg.Runtime, logger: e.logger, steps: e.steps, memory: e.memory, timeout: e.timeout}
}

// IO returns the panel the script drives, to read or set from outside.
func (e *Emulator) IO() *IO { return e.io }

// Port returns the port the script passed to HttpServer(), the device's
// port; where the emulator listens is the listener's business.
func (e *Emulator) Port() int { return e.script().server.port }

// ScriptName returns the running script's name: its path, or the
// example's "name/main.star".
func (e *Emulator) ScriptName() string { return e.script().name }

func (e *Emulator) script() *script {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current
}

// Serve answers requests on ln with the script's handlers until ctx ends
// (it then returns nil) or the server fails. It owns ln and closes it
// before returning. An Emulator serves one listener at a time.
func (e *Emulator) Serve(ctx context.Context, ln net.Listener) error {
	e.mu.Lock()
	if e.serving {
		e.mu.Unlock()
		return errors.New("emulator: already serving")
	}
	e.serving = true
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.serving = false
		e.mu.Unlock()
	}()

	srv := server.New(ln)
	defer srv.Close()
	srv.Port = e.Port()
	srv.Runtime = e.cfg.Runtime
	srv.Logger = e.cfg.Logger
	if e.cfg.Configure != nil {
		e.cfg.Configure(srv)
	}
	srv.GetHandler(e.handler(ctx, srv, "GET"))
	srv.PostHandler(e.handler(ctx, srv, "POST"))
	if e.cfg.Watch {
		watchCtx, stopWatch := context.WithCancel(ctx)
		watched := make(chan struct{})
		go func() { defer close(watched); e.watch(watchCtx) }()
		defer func() { stopWatch(); <-watched }()
	}
	return srv.Serve(ctx)
}

// handler returns the Go handler that runs the script's GET or POST
// handler, or the server's default one if the script registered none.
func (e *Emulator) handler(ctx context.Context, srv *server.HttpServer, method string) server.Handler {
	return func(request string, conn *server.Conn) error {
		e.calls.Lock()
		defer e.calls.Unlock()
		if e.cfg.Watch {
			e.reloadIfChanged(ctx)
		}
		sc := e.script()
		fn := sc.get
		if method == "POST" {
			fn = sc.post
		}
		if fn == nil {
			return srv.DefaultRequestHandler(request, conn)
		}
		return e.call(ctx, srv, sc, fn, method, request, conn)
	}
}

// call runs one handler call with the step, time and memory limits, in
// the thread the last call used unless that one was cancelled. A Go panic
// under it becomes the 500 page like any error: the server would recover
// it too, but with the bare panic text.
func (e *Emulator) call(ctx context.Context, srv *server.HttpServer, sc *script, fn starlark.Callable, method, request string, conn *server.Conn) (err error) {
	hc := e.handlerCall // guarded by e.calls
	if hc == nil {
		hc = newHandlerCall()
		e.handlerCall = hc
	}
	env := hc.begin(ctx, e, srv, sc)
	hc.run.start(handlerThreadName(method), e.steps, e.memory, e.timeout)
	c := &connection{conn: conn}
	defer func() {
		r := recover()
		if r != nil {
			p := newPanicError(interpreterPanic, r)
			e.logger.Printf("%s: %s handler %s: %v\n%s", sc.name, method, fn.Name(), p, p.stack)
			err = p
		}
		// The server closes the socket when the handler returns; a
		// connection a script kept in `state` must not write to a later
		// client.
		c.closed = true
		hc.run.finish()
		// A cancelled thread does not run again, nor one a panic unwound
		// with its frames in any state.
		if hc.end() || r != nil {
			e.handlerCall = nil
		}
	}()
	_, err = starlark.Call(hc.run.thread, fn, nil, hc.kwargs(request, c))
	if err == nil {
		return nil
	}
	var notImpl *server.NotImplementedError
	if !errors.As(err, &notImpl) && !server.IsOSError(err) {
		var eval *starlark.EvalError
		if errors.As(err, &eval) {
			e.logger.Printf("%s: error in %s handler %s:\n%s", sc.name, method, fn.Name(), eval.Backtrace())
		}
	}
	if m := env.mem.exceeded(); m != nil {
		// Not "Starlark computation cancelled: ...", and the same text
		// whether the watchdog or a builtin refused.
		return m
	}
	// The server shows err.Error() on the error page, which for a
	// Starlark error is its message alone, and finds the 501 and socket
	// errors through Unwrap.
	return err
}

// handlerThreadName names a handler call's thread, without building the
// string on every request.
func handlerThreadName(method string) string {
	switch method {
	case "GET":
		return "GET handler"
	case "POST":
		return "POST handler"
	}
	return method + " handler"
}

// reloadIfChanged reloads the script if its file or a file it read has
// changed since the last load or attempt.
func (e *Emulator) reloadIfChanged(ctx context.Context) {
	sc := e.script()
	now := sc.diskFingerprint(e.cfg.ScriptPath)
	e.mu.Lock()
	changed := now != e.seen
	e.seen = now
	e.mu.Unlock()
	if !changed {
		return
	}
	src, err := e.source()
	if err == nil {
		var next *script
		next, err = loadScript(ctx, src, e.loadOptions())
		if err == nil {
			// The log line first: whoever Status wakes finds it written.
			e.logger.Printf("%s: reloaded", next.name)
			e.mu.Lock()
			e.current, e.seen = next, next.fingerprint()
			e.recordReloadLocked(nil)
			e.mu.Unlock()
			return
		}
	}
	e.logger.Printf("%s: reload failed, the last good version keeps serving: %v", sc.name, err)
	e.mu.Lock()
	e.recordReloadLocked(err)
	e.mu.Unlock()
}
