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
	"github.com/europi-http/europi-http/emulator/profile"
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
	StepLimit    uint64
	Profile      string
	Without      []string

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
line per request: time, peer, method, path, status, bytes and milliseconds.`,
		Example: `  europi-http serve
  europi-http serve --script app.star --watch --set k1=40 --set din=1
  europi-http serve --example status --listen 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if opts.Script != "" && opts.Example != "" {
				return errors.New("--script and --example are mutually exclusive")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runServe(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", defaultListen, "address to listen on (host:port); use 0.0.0.0:PORT to expose it to your network")
	f.StringVar(&opts.Script, "script", "", "Starlark handler script to run instead of the embedded default")
	f.StringVar(&opts.Example, "example", "", "embedded example to run (see `europi-http scripts`)")
	f.BoolVar(&opts.Watch, "watch", false, "reload --script when it changes on disk, keeping I/O state")
	f.StringArrayVar(&opts.Sets, "set", nil, "set an input at start, NAME=VALUE (k1, k2 in percent; ain in volts; din, b1, b2 as 0/1); repeatable")
	f.StringVar(&opts.Runtime, "runtime", "cpython", "whose differences to copy: cpython (byte-exact with upstream under python3) or micropython (the device's)")
	f.BoolVar(&opts.StrictDevice, "strict-device", false, "exit with code 3 where the device script would have died, instead of logging it and serving on")
	f.StringVar(&opts.Profile, "profile", profile.Host, "device whose TCP behaviour to copy: host, pico-w or pico-w-patched (see `europi-http profiles`)")
	f.StringSliceVar(&opts.Without, "without", nil, "turn named rules of --profile off, RULE[,RULE] (see `europi-http profiles`)")
	f.Uint64Var(&opts.StepLimit, "step-limit", 0, "Starlark execution steps allowed per handler call (0: the emulator's default)")
	return cmd
}

// parseSets parses --set NAME=VALUE flags.
func parseSets(sets []string) ([]inputSetting, error) {
	var out []inputSetting
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("--set %q: want NAME=VALUE, like k1=40", s)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return nil, fmt.Errorf("--set %q: %q is not a number", s, value)
		}
		out = append(out, inputSetting{strings.TrimSpace(name), v})
	}
	return out, nil
}

type inputSetting struct {
	name  string
	value float64
}

func runServe(ctx context.Context, opts *ServeOptions) error {
	rt, err := server.ParseRuntime(opts.Runtime)
	if err != nil {
		return err
	}
	sets, err := parseSets(opts.Sets)
	if err != nil {
		return err
	}
	prof, err := lookupProfile(opts.Profile, opts.Without)
	if err != nil {
		return err
	}
	io := emulator.NewIO()
	for _, s := range sets {
		if err := io.Set(s.name, s.value); err != nil {
			return fmt.Errorf("--set %s: %w", s.name, err)
		}
	}
	logger := log.New(opts.ErrOut, "", log.LstdFlags)
	emu, err := emulator.New(emulator.Config{
		ScriptPath: opts.Script,
		Example:    opts.Example,
		Watch:      opts.Watch,
		IO:         io,
		Runtime:    rt,
		Logger:     logger,
		StepLimit:  opts.StepLimit,
		Configure: func(s *server.HttpServer) {
			s.StopOnScriptError = opts.StrictDevice
			s.OnRequest = func(l server.RequestLog) { fmt.Fprintln(opts.ErrOut, formatRequestLog(l)) }
		},
	})
	if err != nil {
		var se *emulator.ScriptError
		if errors.As(err, &se) {
			return &exitError{code: 2, err: err}
		}
		return err
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(opts.Listen); host == "" || net.ParseIP(host).IsUnspecified() {
		fmt.Fprintf(opts.ErrOut, "warning: listening on every interface (%s): anyone on your network can reach it\n", opts.Listen)
	}
	ln = prof.Wrap(ln, func(e profile.Event) {
		fmt.Fprintln(opts.ErrOut, e.Time.Format(time.TimeOnly+".000"), e.String())
	})
	fmt.Fprintf(opts.Out, "europi-http: serving %s on http://%s/ (Ctrl-C to stop)\n", scriptName(opts), ln.Addr())
	if prof.Name != profile.Host {
		fmt.Fprintf(opts.Out, "europi-http: device profile %s (see `europi-http profiles`)\n", prof.Label())
	}
	err = emu.Serve(ctx, ln)
	var stopped *server.ScriptStoppedError
	if errors.As(err, &stopped) {
		return &exitError{code: 3, err: err}
	}
	return err
}

// formatRequestLog renders one request as a log line: time, peer, method,
// path, status, bytes, milliseconds, and what went wrong if anything did.
func formatRequestLog(l server.RequestLog) string {
	status := "-"
	if l.Status != 0 {
		status = strconv.Itoa(l.Status)
	}
	line := fmt.Sprintf("%s %s %s %s %s %dB %.1fms", l.Time.Format(time.TimeOnly+".000"), l.Peer,
		logField(l.Method), logField(l.Path), status, l.Bytes,
		float64(l.Duration.Microseconds())/1000)
	if l.Outcome != "" {
		line += " (" + l.Outcome + ")"
	}
	if rule, ok := profile.RuleOf(l.Err); ok {
		line += " [device rule " + rule + "]"
	}
	return line
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

// scriptName names what serve runs, for its start-up line.
func scriptName(opts *ServeOptions) string {
	switch {
	case opts.Script != "":
		return opts.Script
	case opts.Example != "":
		return "example " + opts.Example
	}
	return "the embedded http_control app"
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
