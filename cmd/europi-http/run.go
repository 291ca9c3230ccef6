package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/conformance/recorder"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/dashboard"
	"github.com/europi-http/europi-http/emulator/pyrun"
	"github.com/europi-http/europi-http/internal/logbuf"
)

// RunOptions holds every flag of `europi-http run`.
type RunOptions struct {
	Script      string
	Firmware    string
	Python      string
	Listen      string
	Dashboard   string
	NoDashboard bool
	Sets        []string
	Watch       bool
	Quiet       bool

	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdRun builds `europi-http run`. runF replaces the real run in tests;
// nil means runRun.
func NewCmdRun(runF func(context.Context, *RunOptions) error) *cobra.Command {
	opts := &RunOptions{}
	cmd := &cobra.Command{
		Use:   "run SCRIPT --firmware DIR",
		Short: "Run a real EuroPi MicroPython script on the emulator's panel",
		Long: `run starts SCRIPT, unmodified, with the firmware of your EuroPi checkout under a real
interpreter (the MicroPython unix port, or python3), with only the hardware replaced:
europi-http's own stand-ins for machine, ssd1306, network and rp2 wire the script's
pins, PWM outputs, OLED and wifi to the emulator's panel. The dashboard
(--dashboard, 127.0.0.1:8081) shows the CV outputs and the OLED live, its knobs,
buttons and inputs are what the script reads (a press fires its irq handlers), and
its request log shows the traffic to the script's HttpServer, which --listen relays
byte for byte.

SCRIPT is a .py file anywhere, or a module name inside the checkout such as
contrib.http_control. A script with a EuroPiScript subclass is started as EuroPi's
menu starts it (constructed, then main()); any other runs as a plain module. State
and configuration files the firmware writes go to a temporary folder, never into
your checkout.

run exits with the interpreter's exit code; with --watch it restarts the interpreter
when the script or the firmware changes (the panel keeps its state) and waits for
the next edit when the script ends. An interpreter that cannot be found, a checkout
without the firmware, or a script that does not import (one that does not compile, or
whose top level fails on an import statement) exit with code 2.`,
		Example: `  # upstream's web control page: six sliders that set CV1-CV6
  europi-http run contrib.http_control --firmware ~/src/EuroPi
  # then open http://127.0.0.1:8080/ for the page and http://127.0.0.1:8081/ for the panel

  europi-http run my_script.py --firmware ~/src/EuroPi --python python3 --watch --set k1=40`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Script = args[0]
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Firmware, "firmware", "", "EuroPi checkout `DIR` (its root, or its software/firmware folder)")
	f.StringVar(&opts.Python, "python", "", "interpreter `NAME`: micropython, python3 or a path (default: micropython when on PATH, else python3)")
	f.StringVar(&opts.Listen, "listen", defaultListen, "`ADDR` where the script's server is reached, HOST:PORT; use 0.0.0.0:PORT to expose it to your network")
	f.StringVar(&opts.Dashboard, "dashboard", dashboard.DefaultAddr, "`ADDR` of the dashboard and its /api/, HOST:PORT")
	f.BoolVar(&opts.NoDashboard, "no-dashboard", false, "do not start the dashboard")
	f.StringArrayVar(&opts.Sets, "set", nil, "set an input at start, `NAME=VALUE` (k1, k2 in percent; ain in volts; din, b1, b2 as 0/1); repeatable")
	f.BoolVar(&opts.Watch, "watch", false, "restart the interpreter when the script or the firmware changes, keeping the panel's state")
	f.BoolVar(&opts.Quiet, "quiet", false, "do not log a line per request (the script's output is still logged)")
	cmd.MarkFlagsMutuallyExclusive("dashboard", "no-dashboard")
	_ = cmd.MarkFlagRequired("firmware")
	return cmd
}

func runRun(ctx context.Context, opts *RunOptions) error {
	sets, err := parseSets(opts.Sets)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	panel := emulator.NewIO()
	if err := panel.SetInputs(sets); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--set: %w", err)}
	}
	// As in serve: one buffer for everything run logs, and request lines
	// without the logger's own date (they carry their time).
	errOut := logbuf.New(opts.ErrOut, 0)
	defer errOut.Close()
	logger := log.New(errOut, "", log.LstdFlags)
	runner, err := pyrun.New(pyrun.Config{
		Firmware: opts.Firmware, Script: opts.Script, Python: opts.Python,
		IO: panel, Watch: opts.Watch, Logger: logger,
	})
	if err != nil {
		var se *pyrun.SetupError
		if errors.As(err, &se) {
			return &exitError{code: 2, err: err}
		}
		return err
	}
	defer runner.Close()

	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--listen: %w", err)}
	}
	warnIfExposed(opts.ErrOut, "listening", ln.Addr().String())
	var dash *dashboard.Dashboard
	var dashLn net.Listener
	if !opts.NoDashboard {
		if dashLn, err = net.Listen("tcp", opts.Dashboard); err != nil {
			_ = ln.Close()
			return &exitError{code: 2, err: fmt.Errorf("dashboard: %w (choose another port with --dashboard, or --no-dashboard)", err)}
		}
		warnIfExposed(opts.ErrOut, "the dashboard is listening", dashLn.Addr().String())
		dash = dashboard.New(runner, dashboard.Options{DeviceURL: deviceURL(ln.Addr())})
	}
	fmt.Fprintf(opts.Out, "europi-http: running %s under %s on http://%s/ (Ctrl-C to stop)\n", runner.ScriptFile(), runner.Interpreter(), ln.Addr())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	relay := &recorder.Relay{
		Upstream: runner.DeviceAddr(),
		Gap:      -1, // forward every read as it comes
		OnSession: func(s *recorder.Session) {
			l := pyrun.ConnectionLog(s.Client, s.Started, sessionLength(s), s.Sent(), s.Received())
			if !opts.Quiet {
				_, _ = errOut.Write(appendRequestLog(nil, l))
			}
			if dash != nil {
				dash.Record(l)
			}
		},
	}
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		if err := relay.Serve(ctx, ln); err != nil {
			logger.Printf("europi-http: the relay stopped: %v", err)
		}
	}()
	dashDone := make(chan struct{})
	if dash != nil {
		fmt.Fprintf(opts.Out, "europi-http: dashboard on http://%s/\n", dashLn.Addr())
		go func() {
			defer close(dashDone)
			if err := dash.Serve(ctx, dashLn); err != nil {
				logger.Printf("europi-http: the dashboard stopped: %v", err)
			}
		}()
	} else {
		close(dashDone)
	}

	code, err := runner.Run(ctx)
	cancel()
	<-relayDone
	<-dashDone
	switch {
	case err != nil && code == 2:
		return &exitError{code: 2, err: err}
	case err != nil:
		return err
	case code != 0:
		return &exitError{code: code, err: fmt.Errorf("the script exited with code %d", code)}
	}
	return nil
}

// sessionLength is how long a relayed connection lasted: to its last
// event.
func sessionLength(s *recorder.Session) time.Duration {
	if n := len(s.Events); n > 0 {
		return s.Events[n-1].At
	}
	return 0
}
