package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/dashboard"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/logbuf"
	"github.com/europi-http/europi-http/pyrt"
	"github.com/europi-http/europi-http/server"
)

// defaultListen is loopback: exposing the emulator to a network is an
// explicit choice.
const defaultListen = "127.0.0.1:8080"

// ServeOptions holds every flag of `europi-http serve`.
type ServeOptions struct {
	Listen       string
	Script       string
	Example      string
	Watch        bool
	Sets         []string
	Runtime      string
	StrictDevice bool
	Quiet        bool
	StepLimit    uint64
	MemoryLimit  uint64
	CallTimeout  time.Duration
	Profile      string
	Without      []string
	Race         picoRace
	Dashboard    string
	NoDashboard  bool

	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdServe builds `europi-http serve`. runF replaces the real run in
// tests; nil means runServe.
func NewCmdServe(runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a EuroPi web-server script in the emulator",
		Long: `serve runs a handler script (or the embedded http_control app) in the emulator,
answering with the same bytes as EuroPi's http_server, until interrupted. It logs one
line per request: time, peer, method, path, status, bytes and milliseconds.

A dashboard runs beside it on its own port (--dashboard, 127.0.0.1:8081): the panel
with live CV outputs and clickable knobs, buttons and inputs, the script's reload
status and the request log with raw bytes, plus the JSON API under /api/ it uses.
The device port never serves dashboard traffic.`,
		Example: `  europi-http serve
  europi-http serve --script app.star --watch --set k1=40 --set din=1
  europi-http serve --example status --listen 127.0.0.1:9000 --dashboard 127.0.0.1:9001
  europi-http serve --no-dashboard`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Race.changed(cmd)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runServe(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", defaultListen, "`ADDR` to listen on, HOST:PORT; use 0.0.0.0:PORT to expose it to your network")
	addScriptFlags(cmd, &opts.Script, &opts.Example, "the embedded http_control app")
	f.BoolVar(&opts.Watch, "watch", false, "reload --script when it changes on disk, keeping I/O state")
	f.StringArrayVar(&opts.Sets, "set", nil, "set an input at start, `NAME=VALUE` (k1, k2 in percent; ain in volts; din, b1, b2 as 0/1); repeatable; the dashboard's API sets them the same way")
	f.StringVar(&opts.Runtime, "runtime", "cpython", "whose differences to copy, `RUNTIME`: cpython (byte-exact with upstream under python3) or micropython (the device's)")
	f.BoolVar(&opts.Quiet, "quiet", false, "do not log a line per request (warnings are still logged)")
	f.BoolVar(&opts.StrictDevice, "strict-device", false, "exit with code 3 where the device script would have died, instead of logging it and serving on")
	f.StringVar(&opts.Profile, "profile", profile.Host, "device profile `NAME` whose TCP behaviour to copy: host, pico-w or pico-w-patched (see europi-http profiles)")
	f.StringSliceVar(&opts.Without, "without", nil, "turn named rules of --profile off, `RULE`[,RULE] (see europi-http profiles)")
	addPicoRaceFlags(cmd, &opts.Race)
	f.Var((*byteSize)(&opts.MemoryLimit), "memory-limit", "`SIZE` a script may grow the heap by during a load or handler call before it gets a MemoryError: bytes, or 64MiB, 64M, 1GiB (0: the emulator's default, 64 MiB)")
	f.DurationVar(&opts.CallTimeout, "call-timeout", emulator.DefaultCallTimeout, "wall-clock `DURATION` a handler call or the script's load may run before it ends as the 500 page or a load error")
	f.Uint64Var(&opts.StepLimit, "step-limit", 0, "Starlark execution `STEPS` allowed per handler call (0: the emulator's default)")
	f.StringVar(&opts.Dashboard, "dashboard", dashboard.DefaultAddr, "`ADDR` of the dashboard and its /api/, HOST:PORT, a port of its own; use 0.0.0.0:PORT to expose it")
	f.BoolVar(&opts.NoDashboard, "no-dashboard", false, "do not start the dashboard")
	cmd.MarkFlagsMutuallyExclusive("dashboard", "no-dashboard")
	return cmd
}

// parseSets parses --set NAME=VALUE flags, as the dashboard's API takes
// inputs.
func parseSets(sets []string) ([]emulator.Input, error) {
	var out []emulator.Input
	for _, s := range sets {
		in, err := emulator.ParseInput(s)
		if err != nil {
			return nil, fmt.Errorf("--set %w", err)
		}
		out = append(out, in)
	}
	return out, nil
}

func runServe(ctx context.Context, opts *ServeOptions) error {
	rt, err := pyrt.ParseRuntime(opts.Runtime)
	if err != nil {
		return usageError(err)
	}
	sets, err := parseSets(opts.Sets)
	if err != nil {
		return usageError(err)
	}
	prof, err := lookupProfile(opts.Profile, opts.Without)
	if err != nil {
		return usageError(err)
	}
	if err := checkListenAddr("--listen", opts.Listen); err != nil {
		return err
	}
	if !opts.NoDashboard {
		if err := checkListenAddr("--dashboard", opts.Dashboard); err != nil {
			return err
		}
	}
	if opts.CallTimeout < 0 {
		return usageError(fmt.Errorf("--call-timeout %s: must not be negative (0: the default, %s)", opts.CallTimeout, emulator.DefaultCallTimeout))
	}
	if err := opts.Race.apply(prof); err != nil {
		return err
	}
	io := emulator.NewIO()
	if err := io.SetInputs(sets); err != nil {
		return usageError(fmt.Errorf("--set: %w", err))
	}
	// Everything serve logs goes through one buffer: a line per request
	// costs the serving loop no system call, and warnings keep their place
	// among the lines.
	errOut := logbuf.New(opts.ErrOut, 0)
	defer errOut.Close()
	// dash is set before serving starts; Configure runs inside Serve.
	var dash *dashboard.Dashboard
	logger := log.New(errOut, "", log.LstdFlags)
	// The load runs under ctx, so Ctrl-C stops a script whose top level
	// computes for long.
	emu, err := emulator.NewContext(ctx, emulator.Config{
		ScriptPath:  opts.Script,
		Example:     opts.Example,
		Watch:       opts.Watch,
		IO:          io,
		Runtime:     rt,
		Logger:      logger,
		StepLimit:   opts.StepLimit,
		MemoryLimit: opts.MemoryLimit,
		CallTimeout: opts.CallTimeout,
		Configure: func(s *server.HttpServer) {
			s.StopOnScriptError = opts.StrictDevice
			if opts.Quiet && dash == nil {
				return // nobody reads request logs: skip copying them
			}
			var line []byte // OnRequest runs on the serving loop, one at a time
			s.OnRequest = func(l server.RequestLog) {
				if !opts.Quiet {
					line = appendRequestLog(line[:0], l)
					_, _ = errOut.Write(line)
				}
				if dash != nil {
					dash.Record(l) // the dashboard keeps the bytes, and recycles them
				} else {
					server.Recycle(l.Request, l.Response)
				}
			}
		},
	})
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(errOut, "europi-http: interrupted while the script was loading")
			return nil
		}
		// A script that does not load, cannot be read or is not there
		// (a missing file, an unknown example) is bad input alike.
		return usageError(err)
	}
	ln, err := prof.Listen(ctx, opts.Listen)
	if err != nil {
		return err
	}
	warnIfExposed(errOut, "listening", ln.Addr().String())
	var dashLn net.Listener
	if !opts.NoDashboard {
		if dashLn, err = net.Listen("tcp", opts.Dashboard); err != nil {
			_ = ln.Close()
			return fmt.Errorf("dashboard: %w (choose another port with --dashboard, or --no-dashboard)", err)
		}
		warnIfExposed(errOut, "the dashboard is listening", dashLn.Addr().String())
		dash = dashboard.New(emu, dashboard.Options{DeviceURL: deviceURL(ln.Addr()), Profile: prof.Label()})
	}
	ln = prof.Wrap(ln, func(e profile.Event) {
		fmt.Fprintln(errOut, e.Time.Format(time.TimeOnly+".000"), e.String())
	})
	fmt.Fprintf(opts.Out, "europi-http: serving %s on http://%s/ (Ctrl-C to stop)\n", scriptLabel(opts.Script, opts.Example, "the embedded http_control app"), ln.Addr())
	if prof.Name != profile.Host {
		fmt.Fprintf(opts.Out, "europi-http: device profile %s (see `europi-http profiles`)\n", prof.Label())
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dashDone := make(chan struct{})
	if dash != nil {
		fmt.Fprintf(opts.Out, "europi-http: dashboard on http://%s/\n", dashLn.Addr())
		go func() {
			defer close(dashDone)
			// A failing dashboard leaves the device serving: it is the
			// device that matters to the script.
			if err := dash.Serve(ctx, dashLn); err != nil {
				fmt.Fprintf(errOut, "europi-http: the dashboard stopped: %v\n", err)
			}
		}()
	} else {
		close(dashDone)
	}
	err = emu.Serve(ctx, ln)
	cancel()
	<-dashDone
	var stopped *server.ScriptStoppedError
	if errors.As(err, &stopped) {
		return &exitError{code: 3, err: err}
	}
	return err
}

// warnIfExposed warns when addr, a listener's own address (so a host
// name is already resolved), is reachable from other machines: every
// address but loopback.
func warnIfExposed(w io.Writer, what, addr string) {
	host, _, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	switch {
	case host == "" || ip.IsUnspecified():
		fmt.Fprintf(w, "warning: %s on every interface (%s): anyone on your network can reach it\n", what, addr)
	case ip == nil || !ip.IsLoopback():
		fmt.Fprintf(w, "warning: %s on %s, which is not a loopback address: other machines can reach it\n", what, addr)
	}
}

// deviceURL is the device page's address for the dashboard's link: the
// listener's, with loopback for an unspecified host so the link opens on
// this machine.
func deviceURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
}

// formatRequestLog renders one request as a log line: time, peer, method,
// path, status, bytes, milliseconds, and what went wrong if anything did.
func formatRequestLog(l server.RequestLog) string {
	return strings.TrimSuffix(string(appendRequestLog(nil, l)), "\n")
}

// appendRequestLog appends l's log line and its newline to b, without
// fmt: it runs once per request.
func appendRequestLog(b []byte, l server.RequestLog) []byte {
	b = l.Time.AppendFormat(b, time.TimeOnly+".000")
	b = append(append(b, ' '), l.Peer...)
	b = append(append(b, ' '), logField(l.Method)...)
	b = append(append(b, ' '), logField(l.Path)...)
	b = append(b, ' ')
	if l.Status != 0 {
		b = strconv.AppendInt(b, int64(l.Status), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(l.Bytes), 10)
	b = append(b, "B "...)
	b = strconv.AppendFloat(b, float64(l.Duration.Microseconds())/1000, 'f', 1, 64)
	b = append(b, "ms"...)
	if l.Outcome != server.OutcomeServed {
		b = append(append(append(b, " ("...), l.Outcome...), ')')
	}
	if rule, ok := profile.RuleOf(l.Err); ok {
		b = append(append(append(b, " [device rule "...), rule...), ']')
	}
	return append(b, '\n')
}

// logField keeps a log field on one readable line: plain when it is
// printable ASCII, Go-quoted otherwise (garbage requests are common).
func logField(s string) string {
	for _, c := range s {
		if c <= ' ' || c > '~' || c == '"' {
			return strconv.QuoteToASCII(s)
		}
	}
	return s
}

// lookupProfile resolves --profile and --without.
func lookupProfile(name string, without []string) (*profile.Profile, error) {
	prof, err := profile.Lookup(name)
	if err != nil {
		return nil, err
	}
	if len(without) > 0 {
		return prof.Without(without...)
	}
	return prof, nil
}
