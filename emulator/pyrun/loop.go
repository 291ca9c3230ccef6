package pyrun

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/europi-http/europi-http/emulator"
)

// channelDrain bounds the wait for the channel's last messages once the
// interpreter has ended.
const channelDrain = 2 * time.Second

// outcome is how one interpreter's run ended.
type outcome struct {
	started bool // the script imported
	edited  bool // stopped because a file changed
	code    int
	p       *process
}

// Run runs the script until ctx ends (then it returns 0 and nil), or,
// without Watch, until the interpreter exits: it returns the
// interpreter's exit code, or a *SetupError when the script did not
// import. With Watch an edit of the script or the firmware restarts the
// interpreter, and a script that ended waits for the next edit; the
// panel's state survives both.
func (r *Runner) Run(ctx context.Context) (int, error) {
	var edits <-chan struct{}
	if r.cfg.Watch {
		w := newWatcher(r.watchedFiles, r.cfg.WatchInterval)
		edits = w.changes(ctx)
	}
	for first := true; ; first = false {
		if !first {
			r.setStatus(func(st *emulator.Status) { st.Reloads++; st.LastReload = time.Now() })
			r.logger.Printf("europi-http: %s changed; restarting", filepath.Base(r.script))
		}
		out, err := r.runOnce(ctx, edits)
		if err != nil {
			return 1, err
		}
		switch {
		case ctx.Err() != nil:
			r.setStatus(func(st *emulator.Status) { st.State = "stopped" })
			return 0, nil
		case out.edited:
			continue
		case !out.started:
			why := fmt.Sprintf("%s does not import: %s", r.cfg.Script, out.p.lastLine())
			r.setStatus(func(st *emulator.Status) { st.State = "did not import"; st.Error = out.p.traceback() })
			if !r.cfg.Watch {
				return 2, &SetupError{msg: why}
			}
			r.logger.Printf("europi-http: %s; waiting for an edit", why)
		default:
			state := fmt.Sprintf("exited with code %d", out.code)
			r.setStatus(func(st *emulator.Status) {
				st.State = state
				if out.code != 0 {
					st.Error = out.p.traceback()
				}
			})
			if !r.cfg.Watch {
				return out.code, nil
			}
			r.logger.Printf("europi-http: the script %s; waiting for an edit", state)
		}
		select {
		case <-ctx.Done():
			return 0, nil
		case <-edits:
		}
	}
}

// runOnce runs the interpreter until it exits, ctx ends or a file changes.
func (r *Runner) runOnce(ctx context.Context, edits <-chan struct{}) (outcome, error) {
	ch, err := openChannel()
	if err != nil {
		return outcome{}, err
	}
	defer ch.close()
	chCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	started, notImported := make(chan struct{}), make(chan struct{})
	hooks := channelHooks{
		// Once each: a script can reach the channel and send them again.
		started:     sync.OnceFunc(func() { close(started) }),
		notImported: sync.OnceFunc(func() { close(notImported) }),
		listening: func(asked, bound int) {
			r.mu.Lock()
			r.askedPort = asked
			r.mu.Unlock()
		},
		irq: func(pin, trigger int) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.irqs == nil {
				r.irqs = map[int]int{}
			}
			r.irqs[pin] = trigger
			r.statusChanged.Notify()
		},
		problem: func(err error) { r.logger.Printf("europi-http: %v", err) },
	}
	chDone := make(chan struct{})
	go func() {
		defer close(chDone)
		if err := ch.serve(chCtx, r.panel, hooks); err != nil {
			r.logger.Printf("europi-http: %v", err)
		}
	}()
	defer func() { cancel(); <-chDone }()

	cmd := exec.Command(r.python, filepath.Join(r.standins, bootFile),
		r.standins, r.firmware, r.script, strconv.Itoa(ch.port()), strconv.Itoa(r.devicePort))
	cmd.Dir = r.FlashDir()
	cmd.Env = append(os.Environ(),
		"EUROPI_HTTP_SECRET="+ch.secret,
		// Nothing is written beside the firmware or the script.
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONUNBUFFERED=1",
		"PYTHONIOENCODING=utf-8",
	)
	p, err := startProcess(cmd, r.logger)
	if err != nil {
		return outcome{}, fmt.Errorf("pyrun: starting %s: %w", r.python, err)
	}
	name := filepath.Base(r.python)
	r.logger.Printf("europi-http: started %s under %s (pid %d)", filepath.Base(r.script), name, cmd.Process.Pid)
	r.setStatus(func(st *emulator.Status) { st.State = "running under " + name; st.Error = "" })

	out := outcome{p: p}
	select {
	case <-p.done:
	case <-ctx.Done():
		p.stop()
	case <-edits:
		out.edited = true
		p.stop()
	}
	// The channel ends with the process; what it carried until then
	// (STARTED above all) is read before the outcome is decided. A
	// grandchild holding the socket open cannot delay it for long.
	select {
	case <-chDone:
	case <-time.After(channelDrain):
	}
	select {
	case <-started:
		out.started = true
	default:
	}
	select {
	case <-notImported:
		out.started = false
	default:
	}
	out.code = p.exitCode()
	return out, nil
}

// watchedFiles lists the files whose edits restart the interpreter: the
// script, the .py files beside it (not below: the script may sit in a
// home folder), and the firmware's, all the way down.
func (r *Runner) watchedFiles() []string {
	files := []string{r.script}
	if beside, err := filepath.Glob(filepath.Join(filepath.Dir(r.script), "*.py")); err == nil {
		files = append(files, beside...)
	}
	_ = filepath.WalkDir(r.firmware, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != r.firmware && (strings.HasPrefix(d.Name(), ".") || d.Name() == "__pycache__") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".py") {
			files = append(files, path)
		}
		return nil
	})
	return files
}
