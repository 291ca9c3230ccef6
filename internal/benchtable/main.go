package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options holds benchtable's flags.
type options struct {
	duration     time.Duration
	rounds       int
	conns        []int
	timeout      time.Duration
	servers      []string
	emulatorArgs []string
	emulatorBin  string
	firmware     string
}

// allServers lists the servers in the order they run and print.
var allServers = []string{"serve", "emulator", "nethttp", "serial", "serial-blocking", "serial-sysbacklog", "bare", "upstream"}

// maxDuration bounds one run, so a typo cannot start an hour of load.
const maxDuration = 5 * time.Minute

// maxRounds bounds -rounds, so a typo cannot start a day of load.
const maxRounds = 25

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = run(ctx, opts, os.Stdout, os.Stderr)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// parseFlags parses the command line; $EUROPI_FIRMWARE supplies the
// firmware default.
func parseFlags(args []string, errOut io.Writer) (options, error) {
	o := options{}
	var conns, servers, emuArgs string
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each measured run")
	fs.IntVar(&o.rounds, "rounds", 1, "measure every server this many times, in turn, and report the median")
	fs.StringVar(&conns, "conns", "1,16", "comma-separated concurrent connection counts")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Second, "limit for one request")
	fs.StringVar(&servers, "servers", strings.Join(allServers, ","), "comma-separated servers to measure")
	fs.StringVar(&emuArgs, "emulator-args", "", "extra arguments for `europi-http serve`, space-separated")
	fs.StringVar(&o.emulatorBin, "emulator-bin", "", "a built europi-http to use instead of building ./cmd/europi-http")
	fs.StringVar(&o.firmware, "firmware", os.Getenv("EUROPI_FIRMWARE"), "EuroPi checkout for upstream (default $EUROPI_FIRMWARE; empty skips upstream)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.duration <= 0 || o.duration > maxDuration {
		return o, fmt.Errorf("-duration %v: want more than 0 and at most %v", o.duration, maxDuration)
	}
	if o.rounds < 1 || o.rounds > maxRounds {
		return o, fmt.Errorf("-rounds %d: want 1 to %d", o.rounds, maxRounds)
	}
	if o.timeout <= 0 {
		return o, fmt.Errorf("-timeout %v: want more than 0", o.timeout)
	}
	for _, c := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > 256 {
			return o, fmt.Errorf("-conns %q: want numbers from 1 to 256, like 1,16", conns)
		}
		o.conns = append(o.conns, n)
	}
	for _, s := range strings.Split(servers, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(allServers, s) {
			return o, fmt.Errorf("-servers: unknown server %q (known: %s)", s, strings.Join(allServers, ", "))
		}
		if !slices.Contains(o.servers, s) {
			o.servers = append(o.servers, s)
		}
	}
	if f := strings.Fields(emuArgs); len(f) > 0 {
		o.emulatorArgs = f
	}
	return o, nil
}
