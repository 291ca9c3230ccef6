package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
	"github.com/europi-http/europi-http/server"
)

// bench carries one benchtable run's state.
type bench struct {
	opts   options
	goCmd  string
	root   string
	tmp    string
	errOut io.Writer
	rows   []row
	pool   []pooled // started servers waiting for measurePool
	notes  []string
	expect int64 // the reference body's length, to catch cut responses
	// alt is the interleaved measurement (see interleave), of altCount
	// requests to each server.
	alt      []altRow
	altCount int
	// steal sums the machine's CPU time over the measured runs, and the
	// part the hypervisor gave to other guests (see cpuTimes); empty
	// where /proc/stat is not.
	steal cpuTimes
}

// run measures every requested server and prints the table to out;
// progress goes to errOut.
func run(ctx context.Context, opts options, out, errOut io.Writer) error {
	b := &bench{opts: opts, goCmd: goCommand(), errOut: errOut}
	root, err := moduleRoot(b.goCmd)
	if err != nil {
		return err
	}
	b.root = root
	if b.tmp, err = os.MkdirTemp("", "europi-benchtable-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.tmp)

	ref := b.emulator(ctx)
	b.expect = bodyLength(ref)
	respFile := filepath.Join(b.tmp, "response.bin")
	if err := os.WriteFile(respFile, ref, 0o600); err != nil {
		return err
	}
	var peerBin string
	for _, p := range peers {
		if !b.wants(p.server) || ctx.Err() != nil {
			continue
		}
		if peerBin == "" {
			if peerBin, err = goBuild(b.goCmd, b.root, "./internal/benchpeer", b.tmp); err != nil {
				return err
			}
		}
		args := append([]string{"-listen", "127.0.0.1:0", "-response", respFile}, p.args...)
		srv, first, err := startBinary(ctx, peerBin, args, peerReady)
		b.add(p.server, srv, first, ref, err)
	}
	// The emulator and the Go peers run side by side, idle but for the
	// one measured, round after round.
	b.measurePool(ctx)
	if b.wants("upstream") && ctx.Err() == nil {
		if b.opts.firmware == "" {
			b.notes = append(b.notes, "upstream skipped: set EUROPI_FIRMWARE to a EuroPi checkout to include http_server.py under python3")
		} else {
			// Alone: its main loop polls every millisecond even when idle.
			srv, first, err := startUpstream(ctx, b.opts.firmware, ref)
			b.add("upstream", srv, first, ref, err)
			b.measurePool(ctx)
		}
	}

	fmt.Fprintf(out, "europi-http bench: GET / (%d-byte response, the same bytes from every server), %d rounds of %v per server and concurrency,\n", len(ref), b.opts.rounds, b.opts.duration)
	fmt.Fprintf(out, "one connection per request, one client (internal/loadgen), %d CPUs, GOMAXPROCS %d\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	writeTable(out, b.rows)
	fmt.Fprintln(out)
	if len(b.alt) > 0 {
		writeInterleaved(out, b.alt, b.altCount)
		fmt.Fprintln(out)
	}
	if b.steal.total > 0 {
		b.notes = append(b.notes, fmt.Sprintf("stolen: the hypervisor gave %.1f%% of this machine's CPU time during the measured runs to other guests"+
			" (steal in /proc/stat; each run's share is in the progress lines); \"calm vs serial\" is the median ratio over the rounds in which"+
			" both runs met at most %.0f%%, \"stolen vs serial\" over the others, each with how many rounds those were:"+
			" a burst of steal costs a 1-connection run far more than its share",
			100*b.steal.stealShare(), 100*calmSteal))
	}
	b.notes = append(b.notes,
		"peak RSS is VmHWM of the server's own process (for upstream, the python3 process), read after the last round",
		"req/s, p50 and p99 are the median round's; spread is half the range of req/s over the rounds; a ratio is the median of the"+
			" rounds' ratios, each between runs made one after the other, client and servers sharing this machine's cores",
		"serial: accept, one read, header block and body in two writes, close, one connection at a time on one goroutine,"+
			" with the device's listen backlog of 5 as the emulator keeps it: the limit for serving as the device must;"+
			" serial, blocking calls: the same loop as the emulator serves, waiting for the next connection in Go's network poller and serving it with blocking system calls on one thread;"+
			" serial, system backlog: the same loop with Go's backlog, to show what the device's costs at many connections;"+
			" bare: a goroutine per connection, one write")
	writeNotes(out, b.notes)
	return ctx.Err()
}

// goCommand returns the go command to build with: $GO, or "go".
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

func (b *bench) wants(server string) bool { return slices.Contains(b.opts.servers, server) }

// peers are the Go servers internal/benchpeer runs, by server key, with
// their arguments.
var peers = []struct {
	server string
	args   []string
}{
	{"nethttp", []string{"-kind", "nethttp"}},
	{"serial", []string{"-kind", "serial", "-backlog", strconv.Itoa(server.Backlog)}},
	{"serial-blocking", []string{"-kind", "blocking", "-backlog", strconv.Itoa(server.Backlog)}},
	{"serial-sysbacklog", []string{"-kind", "serial"}},
	{"bare", []string{"-kind", "bare"}},
}

// emulatorRuns are the emulator's configurations, by server key: as
// `serve` runs by default (dashboard on its own port, a log line per
// request on stderr) and with both off.
var emulatorRuns = []struct {
	server string
	args   []string
	note   string
}{
	{"serve", []string{"--dashboard", "127.0.0.1:0"},
		"serve (dashboard, log): `europi-http serve` as it runs by default, its dashboard on and a log line per request (read by this program through a pipe)"},
	{"emulator", []string{"--no-dashboard", "--quiet"},
		"serve --quiet --no-dashboard: the emulator alone, no dashboard and no per-request log line"},
}

// emulator builds and measures the emulator in each configuration asked
// for, and returns the reference response: the emulator's answer to
// GET /, or devicePage when the emulator is not measured.
func (b *bench) emulator(ctx context.Context) []byte {
	ref := []byte(devicePage)
	if !b.wants("serve") && !b.wants("emulator") {
		return ref
	}
	bin := b.opts.emulatorBin
	if bin == "" {
		var err error
		if bin, err = goBuild(b.goCmd, b.root, "./cmd/europi-http", b.tmp); err != nil {
			b.notes = append(b.notes, "emulator skipped: "+err.Error())
			return ref
		}
	}
	measured := false
	for _, run := range emulatorRuns {
		if !b.wants(run.server) || ctx.Err() != nil {
			continue
		}
		args := append(append([]string{"serve", "--listen", "127.0.0.1:0"}, run.args...), b.opts.emulatorArgs...)
		srv, first, err := startBinary(ctx, bin, args, emulatorReady)
		if err != nil {
			b.notes = append(b.notes, displayNames[run.server]+" skipped: "+err.Error())
			continue
		}
		if !measured {
			ref, measured = first, true
		}
		b.notes = append(b.notes, run.note)
		b.add(run.server, srv, first, ref, nil)
	}
	return ref
}

// config is the load every server gets.
func (b *bench) config(addr string, conns int, d time.Duration) loadgen.Config {
	return loadgen.Config{Addr: addr, Request: benchRequest, Connections: conns, Duration: d, Timeout: b.opts.timeout,
		ExpectBody: b.expect}
}

// bodyLength returns the length of resp's body, after its blank line; 0
// when it has none (then no length is checked).
func bodyLength(resp []byte) int64 {
	if i := bytes.Index(resp, []byte("\r\n\r\n")); i >= 0 {
		return int64(len(resp) - i - 4)
	}
	return 0
}
