package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// defaultBenchDuration is how long bench runs when neither --duration nor
// --requests is given: a run always ends by itself.
const defaultBenchDuration = 10 * time.Second

// deviceRequestLimit is how much of a request the device reads.
const deviceRequestLimit = 1024

// BenchOptions holds every flag of `europi-http bench`.
type BenchOptions struct {
	Target      string
	Connections int
	Duration    time.Duration
	Requests    int64
	Path        string
	Method      string
	BodyFile    string
	Timeout     time.Duration
	ExpectBody  int64
	JSON        bool

	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdBench builds `europi-http bench`. runF replaces the real run in
// tests; nil means runBench.
func NewCmdBench(runF func(context.Context, *BenchOptions) error) *cobra.Command {
	opts := &BenchOptions{}
	cmd := &cobra.Command{
		Use:   "bench --target URL",
		Short: "Load a EuroPi-style HTTP server, one connection per request",
		Long: `bench sends requests to a target (the emulator, upstream's http_server.py, or a real
Pico W) the way the device needs them: one TCP connection per request, the response read
as raw bytes until the server closes (it is not valid HTTP for strict parsers). It prints
requests/s, latency percentiles of complete responses (dial to close), and failures by
kind: refused, reset, timeout, short body (no blank line after the header block, or cut
before --expect-body bytes or a Content-Length), other. Nothing is retried.

A run ends after --duration or --requests, whichever is given (default 10s). Load only
servers you own: a Pico W serves one connection at a time and holds at most five.`,
		Example: `  europi-http bench --target http://127.0.0.1:8080/ --connections 16 --duration 10s
  europi-http bench --target http://192.168.4.1/ --requests 200 --timeout 2s
  europi-http bench --target 127.0.0.1:8080 --method POST --path / --body cvs.json --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := opts.check(cmd.Flags().Changed("method")); err != nil {
				return usageError(err)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBench(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Target, "target", "", "`URL` of the server to load, such as http://127.0.0.1:8080/ (required)")
	f.IntVarP(&opts.Connections, "connections", "c", 1, fmt.Sprintf("`N` requests in flight at once, each on its own connection (1 to %d)", loadgen.MaxConnections))
	f.DurationVarP(&opts.Duration, "duration", "d", 0, "how long to run (default 10s when --requests is not given)")
	f.Int64VarP(&opts.Requests, "requests", "n", 0, "how many requests to send in all, `N`, instead of --duration")
	f.StringVar(&opts.Path, "path", "", "request `PATH` (default: the target URL's path, or /)")
	f.StringVarP(&opts.Method, "method", "X", "GET", "request `METHOD`")
	f.StringVar(&opts.BodyFile, "body", "", "`FILE` whose bytes are sent as the request body (with --method POST)")
	f.DurationVar(&opts.Timeout, "timeout", loadgen.DefaultTimeout, "limit for one request, from dial to the server's close")
	f.Int64Var(&opts.ExpectBody, "expect-body", 0, "body length every response should have, `BYTES`; shorter ones count as short body (0: unknown)")
	f.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	cmd.MarkFlagsMutuallyExclusive("duration", "requests")
	return cmd
}

// check validates the flags and fills in the default duration.
func (o *BenchOptions) check(methodSet bool) error {
	switch {
	case strings.TrimSpace(o.Target) == "":
		return errors.New("--target is required, such as --target http://127.0.0.1:8080/")
	case o.Connections < 1 || o.Connections > loadgen.MaxConnections:
		return fmt.Errorf("--connections must be between 1 and %d, not %d", loadgen.MaxConnections, o.Connections)
	case o.Duration < 0:
		return fmt.Errorf("--duration must be positive, not %v", o.Duration)
	case o.Requests < 0:
		return fmt.Errorf("--requests must be positive, not %d", o.Requests)
	case o.Timeout <= 0:
		return fmt.Errorf("--timeout must be positive, not %v", o.Timeout)
	case o.ExpectBody < 0:
		return fmt.Errorf("--expect-body must not be negative, not %d", o.ExpectBody)
	case o.BodyFile != "" && !methodSet:
		return errors.New("--body sends a request body: give --method too, such as --method POST")
	}
	if o.Duration == 0 && o.Requests == 0 {
		o.Duration = defaultBenchDuration
	}
	return nil
}

// benchReport is the --json output: the run's settings and its Result.
type benchReport struct {
	Target string `json:"target"`
	Method string `json:"method"`
	Path   string `json:"path"`
	*loadgen.Result
}

func runBench(ctx context.Context, opts *BenchOptions) error {
	target, err := loadgen.ParseTarget(opts.Target)
	if err != nil {
		return usageError(err)
	}
	if opts.Path != "" {
		target.Path = opts.Path
	}
	// A name that does not resolve would fail every request for the whole
	// run: say so at once. (No test dial: a Pico W holds few connections.)
	if host, _, err := net.SplitHostPort(target.Addr); err == nil && net.ParseIP(host) == nil {
		if _, err := net.DefaultResolver.LookupHost(ctx, host); err != nil {
			return fmt.Errorf("--target %s: cannot resolve %s: %w", opts.Target, host, err)
		}
	}
	var body []byte
	if opts.BodyFile != "" {
		if body, err = readBody(opts.BodyFile); err != nil {
			return usageError(err)
		}
	}
	req, err := loadgen.NewRequest(opts.Method, target.Host, target.Path, body)
	if err != nil {
		return usageError(err)
	}
	if len(req) > deviceRequestLimit {
		fmt.Fprintf(opts.ErrOut, "warning: the request is %d bytes; the device reads only the first %d, loses the rest and may reset the connection\n", len(req), deviceRequestLimit)
	}
	if !opts.JSON {
		fmt.Fprintf(opts.Out, "target      %s (%s), %s %s, %s\n", opts.Target, target.Addr, opts.Method, target.Path, runBounds(opts))
	}
	progress := newProgressLine(opts.ErrOut)
	res, err := loadgen.Run(ctx, loadgen.Config{
		Addr:        target.Addr,
		Request:     req,
		Connections: opts.Connections,
		Duration:    opts.Duration,
		Requests:    opts.Requests,
		Timeout:     opts.Timeout,
		ExpectBody:  opts.ExpectBody,
		Progress:    progress.print,
	})
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(benchReport{Target: opts.Target, Method: opts.Method, Path: target.Path, Result: res}); err != nil {
			return err
		}
	} else {
		writeBenchText(opts.Out, res)
	}
	if res.OK == 0 {
		return fmt.Errorf("no complete response from %s", target.Addr)
	}
	return nil
}

// readBody reads the --body file, refusing one too large to send.
func readBody(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--body: %w", err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, loadgen.MaxRequestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--body: %w", err)
	}
	if len(body) > loadgen.MaxRequestBytes {
		return nil, fmt.Errorf("--body: %s is larger than %d bytes", name, loadgen.MaxRequestBytes)
	}
	return body, nil
}

// runBounds says how many connections and how long, for the header line.
func runBounds(opts *BenchOptions) string {
	conns := fmt.Sprintf("%d connections", opts.Connections)
	if opts.Connections == 1 {
		conns = "1 connection"
	}
	if opts.Requests > 0 {
		return fmt.Sprintf("%s, %d requests", conns, opts.Requests)
	}
	return fmt.Sprintf("%s, %v", conns, opts.Duration)
}

// writeBenchText prints a result for people.
func writeBenchText(w io.Writer, res *loadgen.Result) {
	fmt.Fprintf(w, "requests    %d in %.2fs: %d ok, %d failed", res.Requests, res.Elapsed.Seconds(), res.OK, res.Errors.Total())
	if res.Unfinished > 0 {
		fmt.Fprintf(w, ", %d cut off at the end", res.Unfinished)
	}
	fmt.Fprintf(w, "\nrequests/s  %.1f\n", res.RequestsPerSec)
	l := res.Latency
	fmt.Fprintf(w, "latency     p50 %s  p90 %s  p99 %s  max %s  (complete responses, dial to close)\n",
		fmtDuration(l.P50), fmtDuration(l.P90), fmtDuration(l.P99), fmtDuration(l.Max))
	fmt.Fprintf(w, "statuses    %s\n", fmtStatuses(res.Statuses))
	var kinds []string
	for _, k := range loadgen.Kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, res.Errors.Get(k)))
	}
	fmt.Fprintf(w, "errors      %s\n", strings.Join(kinds, "  "))
	for _, k := range loadgen.Kinds {
		if s, ok := res.ErrorSamples[k]; ok {
			fmt.Fprintf(w, "  first %s: %s\n", k, s)
		}
	}
}

// fmtStatuses lists status counts in code order, "none" when empty.
func fmtStatuses(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, "  ")
}

// fmtDuration prints a latency with three significant digits in a unit
// people read at a glance.
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// progressLine prints Progress snapshots: rewritten in place on a
// terminal, one line each otherwise.
type progressLine struct {
	w    io.Writer
	term bool
}

func newProgressLine(w io.Writer) *progressLine {
	p := &progressLine{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.term = true
		}
	}
	return p
}

func (p *progressLine) print(s loadgen.Progress) {
	if s.Final {
		if p.term {
			fmt.Fprint(p.w, "\r\033[K")
		}
		return
	}
	line := fmt.Sprintf("%6.1fs  %8d ok  %6d errors  %8.0f req/s", s.Elapsed.Seconds(), s.OK, s.Errors, s.Rate)
	if p.term {
		fmt.Fprint(p.w, "\r\033[K"+line)
		return
	}
	fmt.Fprintln(p.w, line)
}
