package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/conformance/clients"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/emulator"
)

// ClientsOptions holds every flag of `europi-http clients`, plus what the
// command gets from its surroundings.
type ClientsOptions struct {
	// Target is a running server, HOST:PORT or http://HOST:PORT; "" starts
	// the in-process emulator.
	Target string
	// Script and Example name what the in-process emulator serves instead
	// of the conformance fixture: a .star file, or an embedded example
	// (--script, --example).
	Script  string
	Example string
	// Clients are the clients to run, in column order.
	Clients []string
	// Run selects scenarios by ID (a regular expression) from all areas.
	Run string
	// All takes every scenario a real client can send, not only the
	// routes (get/, post/).
	All bool
	// Scenarios is a folder of scenario files to use instead of the
	// embedded ones.
	Scenarios string
	// JSON is a file for the JSON report, "-" for standard output.
	JSON string
	// Timeout bounds each client's exchange.
	Timeout time.Duration
	// Verbose adds, per scenario and client, the headers kept, the body
	// and the error.
	Verbose bool
	// Chromium is the browser to run ("" finds one).
	Chromium string

	// targetAddr is Target parsed into HOST:PORT.
	targetAddr string

	// Out and ErrOut are the command's streams.
	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdClients builds `europi-http clients`. runF replaces the real run
// in tests; nil means runClients.
func NewCmdClients(runF func(context.Context, *ClientsOptions) error) *cobra.Command {
	opts := &ClientsOptions{}
	cmd := &cobra.Command{
		Use:   "clients",
		Short: "Show which real HTTP clients accept the device's responses",
		Long: `clients sends the conformance suite's requests through real HTTP clients (Go's
net/http, curl, Python's urllib and headless Chromium, each where installed) and prints,
per scenario, what each made of the response: "ok 200", the header lines it dropped, a
body it decoded wrongly, or the error it refused the response with. A client that is not
installed is listed as missing, not left out.

Upstream writes "charset=utf-8" and extra headers as lines without a colon: strict
parsers refuse them, urllib drops them, browsers tolerate them but never see the
charset. This is the table to read before changing the header format.

By default the requests go to the in-process emulator serving the conformance fixture,
or, with --script or --example, a script of your own (with --scenarios DIR --all, say,
a recording of it); --target sends them to a running device or server instead. The
scenarios are the routes (get/ and post/) a client can express: one GET or POST with a
plain path; --all takes every scenario that is one, wherever it is. Chromium is started once and driven over DevTools through a pipe
(no DevTools port), with its sandbox on unless it runs as root.`,
		Example: `  europi-http clients
  europi-http clients --clients curl,go --run '^get/'
  europi-http clients --target 192.168.4.1:80 --json report.json
  europi-http clients --example http_control --scenarios rec --all
  europi-http clients --all -v`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := opts.validate(); err != nil {
				return usageError(err)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runClients(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Target, "target", "", "a running device or server, `HOST:PORT` (default: the in-process emulator)")
	f.StringSliceVar(&opts.Clients, "clients", clients.Names, "clients to run, in column order, `NAME`[,NAME]: "+strings.Join(clients.Names, ", "))
	f.StringVar(&opts.Run, "run", "", "only scenarios whose ID matches this `REGEXP` (from every area)")
	f.BoolVar(&opts.All, "all", false, "every scenario a real client can send, not only the routes under get/ and post/")
	f.StringVar(&opts.Scenarios, "scenarios", "", "folder `DIR` of .scenario files to use instead of the embedded ones")
	f.StringVar(&opts.JSON, "json", "", "write a JSON report to `FILE` (- for standard output, instead of the table)")
	f.DurationVar(&opts.Timeout, "timeout", clients.DefaultTimeout, "deadline of each client's exchange")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "also print, per scenario and client, the headers kept, the body or the error")
	f.StringVar(&opts.Chromium, "chromium", "", "the browser `PATH` to run (default: $"+clients.EnvChromium+", else chromium on PATH)")
	addScriptFlags(cmd, &opts.Script, &opts.Example, "the conformance fixture in the in-process emulator")
	return cmd
}

// validate checks the flags.
func (o *ClientsOptions) validate() error {
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout %s: must be positive", o.Timeout)
	}
	if err := clients.CheckNames(o.Clients); err != nil {
		return fmt.Errorf("--clients: %w", err)
	}
	if o.Target != "" {
		if o.Script != "" || o.Example != "" {
			return errors.New("--script and --example choose what the in-process emulator serves: not with --target, which sends the requests to a running server instead")
		}
		spec, err := parseTargetSpec(o.Target)
		if err != nil {
			return err
		}
		if len(spec.labels) > 0 {
			return fmt.Errorf("--target %q: an address takes no labels", o.Target)
		}
		o.targetAddr = spec.addr
	}
	return nil
}

// requests returns the requests of the scenarios the flags select.
func (o *ClientsOptions) requests() ([]clients.Request, error) {
	var all []*scenario.Scenario
	var err error
	if o.Scenarios != "" {
		if all, err = scenario.LoadDir(o.Scenarios); err != nil {
			return nil, usageError(fmt.Errorf("--scenarios %s: %w", o.Scenarios, err))
		}
	} else if all, err = scenario.Default(); err != nil {
		return nil, err
	}
	if all, err = scenario.Select(all, o.Run); err != nil {
		return nil, usageError(err)
	}
	reqs := clients.Requests(all, o.All || o.Run != "")
	if len(reqs) == 0 {
		return nil, errors.New("no selected scenario is a request a real client can send (one GET or POST with a plain path)")
	}
	return reqs, nil
}

// runClients runs `europi-http clients` with parsed options.
func runClients(ctx context.Context, o *ClientsOptions) error {
	if err := checkScript(o.emulatorConfig(), o.targetAddr == ""); err != nil {
		return err
	}
	reqs, err := o.requests()
	if err != nil {
		return err
	}
	cs, err := clients.New(o.Clients, clients.Config{Chromium: o.Chromium})
	if err != nil {
		return err
	}
	// The report file is opened before the run, so a path that cannot be
	// written is said at once, not after every client has run.
	var jsonFile *os.File
	if o.JSON != "" && o.JSON != "-" {
		if jsonFile, err = os.Create(o.JSON); err != nil {
			return usageError(fmt.Errorf("--json %s: %w", o.JSON, err))
		}
		defer jsonFile.Close() // after the run's own Close, a no-op
	}
	addr, what := o.targetAddr, o.targetAddr
	if addr != "" {
		// Every client would only fail: say so once, before starting them.
		d := net.Dialer{Timeout: o.Timeout}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("--target %s is unreachable: %w", o.Target, err)}
		}
		_ = c.Close()
	}
	if addr == "" {
		t, stop, err := startEmulatorTarget(ctx, o.emulatorConfig(), nil)
		if err != nil {
			return err
		}
		defer stop()
		addr, what = t.Addr, "the emulator with "+scriptLabel(o.Script, o.Example, "the conformance fixture")
	}
	fmt.Fprintf(o.ErrOut, "clients: %d scenario(s) through %s against %s\n", len(reqs), strings.Join(o.Clients, ", "), what)

	runner := clients.Runner{Clients: cs, Timeout: o.Timeout}
	rep := runner.Run(ctx, addr, reqs)
	if o.JSON != "" {
		if err := writeClientsJSON(o, jsonFile, rep); err != nil {
			return err
		}
		if o.JSON == "-" {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return o.missingByPath(rep)
		}
	}
	if err := clients.WriteTable(o.Out, rep); err != nil {
		return err
	}
	if o.Verbose {
		fmt.Fprintln(o.Out)
		clients.WriteDetails(o.Out, rep)
	}
	if ctx.Err() != nil {
		return &exitError{code: 1, err: fmt.Errorf("interrupted: %w", ctx.Err())}
	}
	return o.missingByPath(rep)
}

// missingByPath fails a run in which a client named by its path (--chromium
// PATH) could not run: the user asked for that program, and a column
// saying "missing" is easy to overlook in a CI log.
func (o *ClientsOptions) missingByPath(rep clients.Report) error {
	if o.Chromium == "" {
		return nil
	}
	for _, c := range rep.Clients {
		if c.Name == "chromium" && c.Missing != "" {
			return &exitError{code: 1, err: fmt.Errorf("--chromium %s: %s", o.Chromium, c.Missing)}
		}
	}
	return nil
}

// emulatorConfig is the in-process emulator --script or --example asks
// for (the fixture when neither is given), as conform starts it.
func (o *ClientsOptions) emulatorConfig() emulator.Config {
	return scriptEmulatorConfig(o.Script, o.Example, nil)
}

// writeClientsJSON writes the --json report to standard output ("-") or
// to f, the file opened for it, and closes f.
func writeClientsJSON(o *ClientsOptions, f *os.File, rep clients.Report) error {
	if f == nil {
		return clients.WriteJSON(o.Out, rep)
	}
	err := clients.WriteJSON(f, rep)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", o.JSON, err)
	}
	return nil
}
