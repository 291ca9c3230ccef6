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
)

// defaultRecordListen is where record listens unless told: loopback, as
// serve does.
const defaultRecordListen = "127.0.0.1:9000"

// RecordOptions holds every flag of `europi-http record`, plus what the
// command gets from its surroundings.
type RecordOptions struct {
	// Upstream is the server to relay to, HOST:PORT or http://HOST:PORT;
	// "" starts the in-process emulator with the conformance fixture.
	Upstream string
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
	// Gap is the pause below which two reads from the client are one send.
	Gap time.Duration

	// upstreamAddr is Upstream parsed into HOST:PORT.
	upstreamAddr string
	// Listener, when set, is used instead of listening on Listen (tests).
	Listener net.Listener
	// Ready, when set, is called with the relay's address once it listens.
	Ready func(addr string)

	// Ctx is the command's context; Out and ErrOut its streams.
	Ctx    context.Context
	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdRecord builds `europi-http record`. runF replaces the real run in
// tests; nil means runRecord.
func NewCmdRecord(runF func(*RecordOptions) error) *cobra.Command {
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

Without --upstream the relay leads to the in-process emulator serving the conformance
fixture. Replay a recording on any target with conform --scenarios DIR.`,
		Example: `  europi-http record --upstream 192.168.4.1:80 --out rec
  curl -sS --raw http://127.0.0.1:9000/json      # through the relay
  europi-http conform --scenarios rec            # replay on the emulator`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx, opts.Out, opts.ErrOut = cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRecord(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Upstream, "upstream", "", "the device or server to relay to, HOST:PORT (default: the in-process emulator with the fixture)")
	f.StringVar(&opts.Listen, "listen", defaultRecordListen, "the relay's address")
	f.StringVar(&opts.Dir, "out", "", "folder to write the scenarios to (required)")
	f.BoolVar(&opts.Force, "force", false, "replace files of the same name, numbering from 1, instead of adding after them")
	f.Int64Var(&opts.MaxBytes, "max-bytes", recorder.DefaultMaxBytes, "bytes one connection may carry, both directions together; a connection over it is reset and not recorded")
	f.DurationVar(&opts.Idle, "idle", recorder.DefaultIdle, "close a connection that stays silent both ways this long")
	f.DurationVar(&opts.Gap, "gap", recorder.DefaultGap, "client reads closer than this are one send, not two segments")
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
	if _, _, err := net.SplitHostPort(o.Listen); err != nil {
		return fmt.Errorf("--listen %q: %w", o.Listen, err)
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
func runRecord(o *RecordOptions) error {
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	store, err := recorder.OpenStore(o.Dir, o.Force)
	if err != nil {
		return err
	}
	defer store.Close()
	first, err := store.NextSeq()
	if err != nil {
		return err
	}

	upstream := o.upstreamAddr
	if upstream == "" {
		t, stop, err := fixtureEmulator(ctx)
		if err != nil {
			return fmt.Errorf("starting the emulator: %w", err)
		}
		defer stop()
		upstream = t.Addr
		fmt.Fprintf(o.Out, "upstream: the emulator with the conformance fixture on %s\n", upstream)
	}

	ln := o.Listener
	if ln == nil {
		var lc net.ListenConfig
		if ln, err = lc.Listen(ctx, "tcp", o.Listen); err != nil {
			return fmt.Errorf("--listen: %w", err)
		}
	}
	warnIfExposed(o.ErrOut, "the relay is listening", ln.Addr().String())
	fmt.Fprintf(o.Out, "recording %s -> %s into %s (from #%04d); Ctrl-C stops\n", ln.Addr(), upstream, store.Dir(), first)

	var mu sync.Mutex // one summary line at a time
	recorded, written := 0, 0
	relay := &recorder.Relay{Upstream: upstream, MaxBytes: o.MaxBytes, Idle: o.Idle, FirstSeq: first,
		OnSession: func(s *recorder.Session) {
			path, werr := writeSession(store, s, o.Gap)
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
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	err = relay.Serve(ctx, ln)
	fmt.Fprintf(o.Out, "%d connection(s), %d scenario file(s) in %s\n", recorded, written, store.Dir())
	return err
}

// writeSession writes a session recorded whole and returns the file's path;
// "" and no error for a session that was not.
func writeSession(store *recorder.Store, s *recorder.Session, gap time.Duration) (string, error) {
	if s.Outcome != recorder.OutcomeRecorded {
		return "", nil
	}
	sc, err := recorder.Scenario(s, recorder.ID(s.Seq, s.Sent()), gap)
	if err != nil {
		return "", err
	}
	return store.Write(sc)
}
