package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/conformance/recorder"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/internal/emutarget"
)

// defaultRecordListen is where record listens unless told: loopback, as
// serve does.
const defaultRecordListen = "127.0.0.1:9000"

// RecordOptions holds every flag of `europi-http record`, plus what the
// command gets from its surroundings.
type RecordOptions struct {
	// Upstream is the server to relay to, HOST:PORT or http://HOST:PORT;
	// "" starts the in-process emulator.
	Upstream string
	// Script and Example name what the in-process emulator serves instead
	// of the conformance fixture (--script, --example).
	Script  string
	Example string
	// Sets are --set values, NAME=VALUE: the in-process emulator's panel
	// inputs.
	Sets []string
	// Listen is the relay's address.
	Listen string
	// Dir is the folder scenarios are written to (--out).
	Dir string
	// Force lets the recording replace files of the same name.
	Force bool
	// MaxBytes caps one connection's bytes, both directions together.
	MaxBytes int64
	// Idle closes a connection silent both ways this long.
	Idle time.Duration
	// Gap is the pause below which two reads from the client go on to the
	// device in one write and are one send; 0 forwards every read as it comes.
	Gap time.Duration

	// upstreamAddr is Upstream parsed into HOST:PORT.
	upstreamAddr string

	// Out and ErrOut are the command's streams.
	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdRecord builds `europi-http record`. runF replaces the real run in
// tests; nil means runRecord.
func NewCmdRecord(runF func(context.Context, *RecordOptions) error) *cobra.Command {
	opts := &RecordOptions{}
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Relay a client to a device and record each connection as a scenario",
		Long: `record sits between any client (a browser, curl, a script) and a device or the
emulator as a raw TCP relay. It forwards bytes unchanged in both directions, passes on
half-closes and resets, and keeps every read with its time. Nothing on the path parses
HTTP: upstream's responses are not valid HTTP for strict parsers.

When a connection ends, record writes it to --out as a scenario in the suite's format:
the client's segments and the pauses between them as steps, what the server sent as the
expectation (status line and header block byte for byte, the body exactly, as JSON
values for text/json, by structure for error pages) and how the connection ended. Files
are named from the connection's number, method and path, written whole or not at all,
and never replace a file unless --force. A line per connection says what was recorded.

Without --upstream the relay leads to the in-process emulator, serving the conformance
fixture or the --script or --example you name, with the panel inputs --set gives; each
scenario then records those inputs in an [inputs] section. Replay a recording on any
target with conform --scenarios DIR, and one of your script with the same --script or
--example, which applies the recorded inputs before each scenario.`,
		Example: `  europi-http record --upstream 192.168.4.1:80 --out rec
  # through the relay (curl's HTTP parser refuses the device's answers; telnet:// does not parse):
  printf 'GET /json HTTP/1.0\r\n\r\n' | curl -sS telnet://127.0.0.1:9000
  europi-http conform --scenarios rec            # replay on the emulator
  europi-http record --example http_control --set k1=40 --set b1=1 --out rec
  europi-http conform --scenarios rec --example http_control`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := opts.validate(); err != nil {
				return usageError(err)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRecord(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Upstream, "upstream", "", "the device or server to relay to, `HOST:PORT` (default: the in-process emulator)")
	addScriptFlags(cmd, &opts.Script, &opts.Example, "the conformance fixture in the in-process emulator")
	f.StringArrayVar(&opts.Sets, "set", nil, "set an input of the in-process emulator, `NAME=VALUE` (k1, k2 in percent; ain in volts; din, b1, b2 as 0/1), as serve --set does; repeatable")
	f.StringVar(&opts.Listen, "listen", defaultRecordListen, "the relay's address, `HOST:PORT`")
	f.StringVar(&opts.Dir, "out", "", "folder `DIR` to write the scenarios to (required)")
	f.BoolVar(&opts.Force, "force", false, "replace files of the same name, numbering from 1, instead of adding after them")
	f.Int64Var(&opts.MaxBytes, "max-bytes", recorder.DefaultMaxBytes, "`BYTES` one connection may carry, both directions together; a connection over it is reset and not recorded")
	f.DurationVar(&opts.Idle, "idle", recorder.DefaultIdle, "close a connection that stays silent both ways this long")
	f.DurationVar(&opts.Gap, "gap", recorder.DefaultGap, "client reads closer than this go on to the device in one write and are one send (0: every read as it comes)")
	// A device runs its own script and has its own panel.
	cmd.MarkFlagsMutuallyExclusive("upstream", "script")
	cmd.MarkFlagsMutuallyExclusive("upstream", "example")
	cmd.MarkFlagsMutuallyExclusive("upstream", "set")
	return cmd
}

// validate checks the flags.
func (o *RecordOptions) validate() error {
	if o.Dir == "" {
		return errors.New("--out: a folder for the scenarios is required")
	}
	if o.MaxBytes <= 0 {
		return fmt.Errorf("--max-bytes %d: must be positive", o.MaxBytes)
	}
	if o.Idle <= 0 {
		return fmt.Errorf("--idle %s: must be positive", o.Idle)
	}
	if o.Gap < 0 {
		return fmt.Errorf("--gap %s: must not be negative", o.Gap)
	}
	sets, err := parseSets(o.Sets)
	if err != nil {
		return err
	}
	if err := emulator.NewIO().SetInputs(sets); err != nil {
		return fmt.Errorf("--set: %w", err)
	}
	if err := checkListenAddr("--listen", o.Listen); err != nil {
		return err
	}
	if o.Upstream != "" {
		spec, err := parseTargetSpec(o.Upstream)
		if err != nil {
			return fmt.Errorf("--upstream: %w", err)
		}
		if len(spec.labels) > 0 {
			return fmt.Errorf("--upstream %q: an address takes no labels", o.Upstream)
		}
		o.upstreamAddr = spec.addr
	}
	return nil
}

// runRecord runs `europi-http record` with parsed options until its
// context ends.
func runRecord(ctx context.Context, o *RecordOptions) error {
	if err := checkScript(o.emulatorConfig(nil), o.Upstream == ""); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	return recordOn(ctx, o, ln)
}

// emulatorConfig is the in-process emulator --script or --example asks
// for (the fixture when neither is given) driving io.
func (o *RecordOptions) emulatorConfig(io *emulator.IO) emulator.Config {
	return scriptEmulatorConfig(o.Script, o.Example, io)
}

// recordOn relays the clients ln accepts until ctx ends, and owns ln.
func recordOn(ctx context.Context, o *RecordOptions, ln net.Listener) error {
	defer ln.Close()
	store, err := recorder.OpenStore(o.Dir, o.Force)
	if err != nil {
		// A file where the folder should be, or a folder that cannot be
		// made: the flag's value, not the machine, is wrong.
		return usageError(fmt.Errorf("--out %s: %w", o.Dir, err))
	}
	defer store.Close()
	if o.upstreamAddr != "" {
		if err := checkUpstream(ctx, o.upstreamAddr); err != nil {
			return &exitError{code: 1, err: fmt.Errorf("--upstream %s: cannot reach it: %w", o.upstreamAddr, err)}
		}
	}
	first, err := store.NextSeq()
	if err != nil {
		return err
	}

	upstream := o.upstreamAddr
	// panel reads the in-process emulator's inputs for each scenario; a
	// device's panel cannot be read, so its scenarios record none.
	var panel func() []scenario.Input
	if upstream == "" {
		sets, err := parseSets(o.Sets)
		if err != nil {
			return err
		}
		io := emulator.NewIO()
		if err := io.SetInputs(sets); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("--set: %w", err)}
		}
		t, err := emutarget.Start(ctx, emutarget.Config{Emulator: o.emulatorConfig(io)})
		if err != nil {
			return fmt.Errorf("starting the emulator: %w", err)
		}
		defer t.Stop()
		upstream, panel = t.Addr, t.Inputs
		fmt.Fprintf(o.Out, "upstream: the emulator with %s on %s\n", scriptLabel(o.Script, o.Example, "the conformance fixture"), upstream)
	}

	warnIfExposed(o.ErrOut, "the relay is listening", ln.Addr().String())
	fmt.Fprintf(o.Out, "recording %s -> %s into %s (from #%04d); Ctrl-C stops\n", ln.Addr(), upstream, store.Dir(), first)

	var mu sync.Mutex // one summary line at a time
	recorded, written := 0, 0
	gap := o.Gap
	if gap == 0 {
		gap = -1 // the relay's "forward every read as it comes"
	}
	relay := &recorder.Relay{Upstream: upstream, MaxBytes: o.MaxBytes, Idle: o.Idle, Gap: gap, FirstSeq: first,
		OnSession: func(s *recorder.Session) {
			path, werr := writeSession(store, s, panel)
			mu.Lock()
			defer mu.Unlock()
			recorded++
			fmt.Fprintln(o.Out, recorder.Summary(s, path))
			if werr != nil {
				fmt.Fprintf(o.ErrOut, "#%04d: %v\n", s.Seq, werr)
				return
			}
			if path != "" {
				written++
			}
		}}
	err = relay.Serve(ctx, ln)
	fmt.Fprintf(o.Out, "%d connection(s), %d scenario file(s) in %s\n", recorded, written, store.Dir())
	return err
}

// writeSession writes a session recorded whole, with the panel's inputs
// when there is a panel to read, and returns the file's path; "" and no
// error for a session that was not.
func writeSession(store *recorder.Store, s *recorder.Session, panel func() []scenario.Input) (string, error) {
	if s.Outcome != recorder.OutcomeRecorded {
		return "", nil
	}
	sc, err := recorder.Scenario(s, recorder.ID(s.Seq, s.Sent()))
	if err != nil {
		return "", err
	}
	if panel != nil {
		sc.Inputs = panel()
	}
	return store.Write(sc)
}

// upstreamCheckTimeout bounds the start-up check of --upstream.
const upstreamCheckTimeout = 5 * time.Second

// checkUpstream makes sure the device answers before the relay starts,
// with a whole request: a connection closed unanswered would make
// upstream's check_requests() raise and stop the device script. What the
// device answers does not matter, nor whether it answers at all once
// connected (a Pico W may lose the request).
func checkUpstream(ctx context.Context, addr string) error {
	d := net.Dialer{Timeout: upstreamCheckTimeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(upstreamCheckTimeout))
	if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		return nil // connected: the device took the connection and closed it
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 1<<20))
	return nil
}
