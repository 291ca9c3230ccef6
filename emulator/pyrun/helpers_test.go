package pyrun

import (
	"context"
	"log"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/testnet"
)

// waitLimit bounds every wait for the interpreter: generous, since it
// starts a process on a loaded machine.
const waitLimit = 30 * time.Second

// interpreters lists the interpreters to run the tests under: python3
// always (it is in CI), micropython where it is on PATH.
func interpreters(t *testing.T) []string {
	t.Helper()
	var found []string
	for _, name := range []string{"python3", "micropython"} {
		if _, err := exec.LookPath(name); err == nil {
			found = append(found, name)
		} else {
			t.Logf("%s is not on PATH; its cases are skipped", name)
		}
	}
	if len(found) == 0 {
		t.Skip("neither python3 nor micropython is on PATH")
	}
	return found
}

// testRun is one Runner running in the background.
type testRun struct {
	*Runner
	log    *testnet.SyncBuffer
	cancel context.CancelFunc
	done   chan struct{}
	code   int
	err    error
}

// startRun runs testdata/scripts/NAME under python on a fresh panel; the
// run stops when the test ends.
func startRun(t *testing.T, python, name string, watch bool) *testRun {
	t.Helper()
	return startConfig(t, Config{
		Firmware: filepath.Join("testdata", "firmware"),
		Script:   filepath.Join("testdata", "scripts", name),
		Python:   python,
		Watch:    watch,
	})
}

// startConfig runs what cfg names in the background, logging to a buffer
// the test reads; the run stops when the test ends.
func startConfig(t *testing.T, cfg Config) *testRun {
	t.Helper()
	logs := &testnet.SyncBuffer{}
	cfg.Logger = log.New(logs, "", 0)
	r, err := New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	tr := &testRun{Runner: r, log: logs, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(tr.done)
		tr.code, tr.err = r.Run(ctx)
	}()
	t.Cleanup(func() {
		tr.stop(t)
		r.Close()
	})
	return tr
}

// stop ends the run and waits for it.
func (tr *testRun) stop(t *testing.T) {
	t.Helper()
	tr.cancel()
	select {
	case <-tr.done:
	case <-time.After(waitLimit):
		t.Fatalf("the run did not stop within %v", waitLimit)
	}
}

// wait waits for the run to end by itself.
func (tr *testRun) wait(t *testing.T) (int, error) {
	t.Helper()
	select {
	case <-tr.done:
		return tr.code, tr.err
	case <-time.After(waitLimit):
		t.Fatalf("the run did not end within %v; its log:\n%s", waitLimit, tr.log.String())
		return 0, nil
	}
}

// waitPanel waits until cond holds for the panel.
func waitPanel(t *testing.T, tr *testRun, what string, cond func(st emulator.IOState, frame []byte) bool) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		changed := tr.IO().Changed()
		if cond(tr.IO().Snapshot(), tr.IO().Display().Frame()) {
			return
		}
		select {
		case <-changed:
		case <-tr.done:
			t.Fatalf("the run ended (code %d, %v) before %s; its log:\n%s", tr.code, tr.err, what, tr.log.String())
		case <-deadline:
			t.Fatalf("no %s within %v; panel %+v; log:\n%s", what, waitLimit, tr.IO().Snapshot(), tr.log.String())
		}
	}
}

// waitLog waits until the run's log holds want: the output is read from
// the interpreter's pipes apart from the channel, so it may come after the
// panel has changed.
func waitLog(t *testing.T, tr *testRun, want string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(tr.log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log within %v:\n%s", want, waitLimit, tr.log.String())
		}
		time.Sleep(10 * time.Millisecond) // the log has no change signal
	}
}
