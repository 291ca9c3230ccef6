package emulator

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/europi-http/europi-http/pyrt"
	starlarkmath "go.starlark.net/lib/math"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// fileOptions are the dialect scripts are written in: Starlark with while
// loops, recursion, top-level statements, sets and global reassignment,
// to read as much like MicroPython as Starlark allows. The step limit and
// the depth limit keep loops and recursion from hanging the emulator.
var fileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
	Recursion:       true,
}

// script is one successfully loaded handler script.
type script struct {
	name  string
	code  []byte
	files folder
	// server is the script's HttpServer, and get and post the handlers
	// registered on it (nil for the default handler).
	server    *serverValue
	get, post starlark.Callable
	state     *stateDict
	// screen is the script's OLED back buffer; it starts blank at each
	// load, as the device's does at boot.
	screen *screen
	// watched holds the hash of each file load_file read while loading,
	// so a watcher also reloads when a page the script embeds changes.
	watched map[string][sha256.Size]byte
}

// source is a script to load: its name for messages, its code and the
// folder load_file reads from.
type source struct {
	name  string
	code  []byte
	files folder
}

// loadOptions is what a load needs from the emulator.
type loadOptions struct {
	io      *IO
	runtime pyrt.Runtime
	logger  *log.Logger
	steps   uint64
	memory  uint64
	timeout time.Duration
}

// loadScript runs src's top level and returns the script, or a
// *ScriptError. A Go panic while it runs is one too. The load stops when
// ctx ends.
func loadScript(ctx context.Context, src source, opts loadOptions) (_ *script, err error) {
	sc := &script{
		name:    src.name,
		code:    src.code,
		files:   src.files,
		state:   newStateDict(),
		screen:  &screen{},
		watched: map[string][sha256.Size]byte{},
	}
	e := &env{ctx: ctx, io: opts.io, runtime: opts.runtime, logger: opts.logger, script: sc, loading: true}
	thread, done := newThread(e, "load "+src.name, opts.steps, opts.memory, opts.timeout)
	defer done()
	defer func() {
		if r := recover(); r != nil {
			p := newPanicError(interpreterPanic, r)
			opts.logger.Printf("%s: %v\n%s", src.name, p, p.stack)
			err = &ScriptError{File: src.name, Line: 1, Col: 1, Msg: p.Error(), err: p}
		}
	}()
	predeclared := starlark.StringDict{"state": sc.state}
	for k, v := range builtins {
		predeclared[k] = v
	}
	if err := execScript(thread, src, predeclared); err != nil {
		se := asScriptError(src.name, err)
		if m := e.mem.exceeded(); m != nil {
			se.Msg, se.err = m.Error(), m // not "Starlark computation cancelled: ..."
		}
		return nil, se
	}
	if sc.server == nil {
		return nil, &ScriptError{File: src.name, Line: 1, Col: 1,
			Msg: "the script never calls HttpServer(): nothing would answer requests"}
	}
	return sc, nil
}

// execScript compiles src, with its repetitions guarded, and runs its top
// level; it freezes the globals, as starlark.ExecFile does.
func execScript(thread *starlark.Thread, src source, predeclared starlark.StringDict) error {
	f, err := fileOptions.Parse(src.name, src.code, 0)
	if err != nil {
		return err
	}
	guardOperators(f)
	guardMethods(f)
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		return err
	}
	globals, err := prog.Init(thread, predeclared)
	globals.Freeze()
	return err
}

// builtins are the names every script has besides its `state`: Starlark's
// own functions, guarded (guard.go), and the emulator's, which replace
// Starlark's fail.
var builtins = newBuiltins()

func newBuiltins() starlark.StringDict {
	d := guardedUniverse()
	maps.Copy(d, starlark.StringDict{
		"HttpServer":          starlark.NewBuiltin("HttpServer", newServer),
		"HttpStatus":          HttpStatus,
		"MimeTypes":           MimeTypes,
		"NotImplementedError": starlark.NewBuiltin("NotImplementedError", notImplemented),
		"fail":                starlark.NewBuiltin("fail", fail),
		"catch":               starlark.NewBuiltin("catch", catch),
		"load_file":           starlark.NewBuiltin("load_file", loadFile),
		"json":                JSON,
		"math":                starlarkmath.Module,
		"framebuf":            FrameBuf,
		"bytearray":           starlark.NewBuiltin("bytearray", bytearray),
		"europi":              EuroPi,
		"HIGH":                starlark.MakeInt(1),
		"LOW":                 starlark.MakeInt(0),
		"MAX_OUTPUT_VOLTAGE":  starlark.Float(MaxOutputVoltage),
		"MAX_INPUT_VOLTAGE":   starlark.Float(MaxInputVoltage),
		operandGuardName:      operandGuard,
		addCheckName:          addCheck,
		methodGuardName:       methodGuard,
		addendGuardName:       addendGuard,
	})
	maps.Copy(d, EuroPi.Members)
	d.Freeze()
	return d
}

// watch records a file load_file read while the script loaded.
func (sc *script) watch(name string, data []byte) {
	sc.watched[name] = sha256.Sum256(data)
}

// fingerprint sums the script's code and the files it read as loaded.
func (sc *script) fingerprint() [sha256.Size]byte {
	return sc.sum(sc.code, func(name string) ([sha256.Size]byte, bool) {
		h, ok := sc.watched[name]
		return h, ok
	})
}

// diskFingerprint sums the script's code and watched files as they are on
// disk now; it differs from fingerprint when anything changed.
func (sc *script) diskFingerprint(path string) [sha256.Size]byte {
	code, err := os.ReadFile(path)
	if err != nil {
		code = []byte("\x00unreadable: " + err.Error())
	}
	return sc.sum(code, func(name string) ([sha256.Size]byte, bool) {
		data, err := sc.files.read(name)
		return sha256.Sum256(data), err == nil
	})
}

func (sc *script) sum(code []byte, file func(string) ([sha256.Size]byte, bool)) [sha256.Size]byte {
	names := make([]string, 0, len(sc.watched))
	for n := range sc.watched {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00", len(code))
	h.Write(code)
	for _, n := range names {
		sum, ok := file(n)
		fmt.Fprintf(h, "\x00%s\x00%t\x00", n, ok)
		h.Write(sum[:])
	}
	var out [sha256.Size]byte
	copy(out[:], h.Sum(nil))
	return out
}

// folder is where load_file reads: the script's directory on disk or an
// example's embedded folder. Names are already checked by sandboxPath.
type folder interface {
	read(name string) ([]byte, error)
}

// diskFolder reads through an os.Root, so a symbolic link cannot lead out
// of the folder either.
type diskFolder struct{ dir string }

func (f diskFolder) read(name string) ([]byte, error) {
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return nil, fmt.Errorf("cannot open the script's folder: %v", err)
	}
	defer root.Close()
	// Only a regular file is read: opening a FIFO would block until a
	// writer came, and a device may do anything. The type is checked
	// before opening, and again on what was opened (without blocking) in
	// case the file was replaced in between.
	info, err := root.Stat(filepath.FromSlash(name))
	if err != nil {
		return nil, readError(name, err)
	}
	if err := checkRegular(name, info); err != nil {
		return nil, err
	}
	file, err := root.OpenFile(filepath.FromSlash(name), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, readError(name, err)
	}
	defer file.Close()
	if info, err = file.Stat(); err != nil {
		return nil, readError(name, err)
	}
	if err := checkRegular(name, info); err != nil {
		return nil, err
	}
	return readLimited(name, file)
}

// fsFolder reads an embedded example's files, or a given script's.
type fsFolder struct{ fsys fs.FS }

func (f fsFolder) read(name string) ([]byte, error) {
	// An fs.FS cannot open without blocking; checking the type first
	// keeps a FIFO in an os.DirFS from blocking.
	info, err := fs.Stat(f.fsys, name)
	if err != nil {
		return nil, readError(name, err)
	}
	if err := checkRegular(name, info); err != nil {
		return nil, err
	}
	file, err := f.fsys.Open(name)
	if err != nil {
		return nil, readError(name, err)
	}
	defer file.Close()
	return readLimited(name, file)
}

// checkRegular refuses anything but a regular file: a FIFO, a device, a
// socket or a directory.
func checkRegular(name string, info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("cannot read %q: is a directory", name)
	case !info.Mode().IsRegular():
		return fmt.Errorf("cannot read %q: not a regular file", name)
	}
	return nil
}

// noFolder is the folder of a script given as code alone: it holds no
// files.
type noFolder struct{}

func (noFolder) read(name string) ([]byte, error) { return nil, readError(name, fs.ErrNotExist) }

func readLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxLoadFile+1))
	if err != nil {
		return nil, readError(name, err)
	}
	if len(data) > maxLoadFile {
		return nil, fmt.Errorf("%q is larger than %d bytes", name, maxLoadFile)
	}
	return data, nil
}

func readError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot read %q: %v", name, err)
}

// sandboxPath checks a load_file name and returns it cleaned, slash
// separated and relative to the script's folder.
func sandboxPath(name string) (string, error) {
	if name == "" {
		return "", errors.New("empty file name")
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	if filepath.IsAbs(name) || strings.HasPrefix(slashed, "/") || filepath.VolumeName(name) != "" {
		return "", fmt.Errorf("%q is an absolute path; only files in the script's folder can be read", name)
	}
	for _, part := range strings.Split(slashed, "/") {
		if part == ".." {
			return "", fmt.Errorf("%q leaves the script's folder; only files in it can be read", name)
		}
	}
	clean := path.Clean(slashed)
	if !fs.ValidPath(clean) || clean == "." {
		return "", fmt.Errorf("%q is not a file name", name)
	}
	return clean, nil
}
