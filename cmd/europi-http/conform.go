package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// defaultUpdateDir is where --update writes when --scenarios is not given:
// the repository's scenarios, from its root.
const defaultUpdateDir = "testdata/scenarios"

// ConformOptions holds every flag of `europi-http conform`, plus what the
// command gets from its surroundings.
type ConformOptions struct {
	// Targets are --target values: [LABEL,...=]http://HOST:PORT.
	Targets []string
	// Firmwares are --firmware values: EuroPi checkouts whose
	// http_server.py to start with the fixture.
	Firmwares []string
	// Pythons are the interpreters each --firmware runs under.
	Pythons []string
	// Emulator adds the in-process emulator to other targets (it is the
	// only target when none is given).
	Emulator bool
	// Profiles are --profile values: device profiles to run the emulator
	// under, one emulator target each (host when none is given).
	Profiles []string
	// Without are --without values: rules of the profiles to turn off.
	Without []string
	// Race is --pico-race and --pico-race-seed: how often the pico-w
	// profile's accept race is won.
	Race picoRace
	// Run selects scenarios by ID (a regular expression).
	Run string
	// List prints the selected scenarios instead of running them.
	List bool
	// JSON and JUnit are report files to write ("" for none).
	JSON  string
	JUnit string
	// Update rewrites failing expectations from the (single) target.
	Update bool
	// Scenarios is a folder of scenario files to use instead of the
	// embedded ones.
	Scenarios string
	// Timeout is the idle timeout for scenarios that set none.
	Timeout time.Duration
	// ScenarioTimeout bounds each attempt of a scenario, steps and reads
	// together; 0 means conformance.DefaultScenarioTimeout of the idle
	// timeout, plus the scenario's waits.
	ScenarioTimeout time.Duration
	// Retries is how often a scenario is retried after a refused or reset
	// connection.
	Retries int
	// GiveUpAfter stops a target's run after this many scenarios in a row
	// got no answer; 0 never does.
	GiveUpAfter int
	// Deadline bounds the whole run, every target together; 0 means none.
	Deadline time.Duration
	// Verbose prints notes and declared differences of passing scenarios.
	Verbose bool
	// Clients runs the clients report (europi-http clients) against each
	// target after its suite, the table after the suite's summary.
	Clients bool
	// Script and Example name the script the in-process emulator serves
	// instead of the conformance fixture: a .star file, or an embedded
	// example (--script, --example).
	Script  string
	Example string

	// Out and ErrOut are the command's streams.
	Out    io.Writer
	ErrOut io.Writer
}

// NewCmdConform builds `europi-http conform`. runF replaces the real run in
// tests; nil means runConform.
func NewCmdConform(runF func(context.Context, *ConformOptions) error) *cobra.Command {
	opts := &ConformOptions{}
	cmd := &cobra.Command{
		Use:   "conform",
		Short: "Run the conformance scenarios against the emulator, a device or upstream",
		Long: `conform sends each scenario's bytes to a target serving the conformance fixture
(conformance/fixture) and compares what comes back: status line and header block byte
for byte, bodies exactly, as JSON values or as error-page structure, and how the
connection ended. Scenarios run one at a time, each dial, write and read under a
deadline; an attempt that timing may have decided (a refused or reset connection, a
request answered that the scenario expects lost, any failure under a device profile)
is retried with back-off and counted.

Targets: the in-process emulator (the default), serving the fixture or, with --script
or --example, a script of your own, to replay a recording of it; --target, a device or
anything already serving the fixture, optionally prefixed with labels that select the
scenarios' per-runtime expectations; --firmware, upstream's http_server.py from a EuroPi
checkout, started on a free loopback port under each --python. Several targets print a
matrix.

--profile runs the emulator under a device profile (see ` + "`europi-http profiles`" + `), as
serve does, and labels it with the profile's name, so the scenarios' [expect when
pico-w] sections apply; each result names the profile rules that acted on it. Label a
device yourself: --target micropython,pico-w=http://192.168.4.1:80. Under pico-w a
request is lost to the accept race unless --pico-race gives it a chance to win (the real
firmware: about 2%; --pico-race 1 answers every one, --pico-race-seed fixes the draws).

Each scenario attempt has a deadline for its steps and reads together (--scenario-timeout),
besides the idle timeout that every byte restarts. A target that has answered nothing for
--give-up-after scenarios in a row (it accepts and stays silent, trickles, or refuses) is
not run further: "target not answering", and a non-zero exit. --deadline bounds the whole
run. --clients adds the report of
` + "`europi-http clients`" + ` for each target, after its summary.

Exit status 0 means every scenario passed or matched its declared expected difference.`,
		Example: `  europi-http conform
  europi-http conform --run '^get/' --list
  europi-http conform --target micropython,pico-w=http://192.168.4.1:8080 --timeout 5s
  europi-http conform --profile pico-w
  europi-http conform --profile host,pico-w,pico-w-patched
  europi-http conform --profile pico-w --without accept-timeout-0
  europi-http conform --profile pico-w --pico-race 1
  europi-http conform --firmware ~/src/EuroPi --python python3 --python micropython --emulator
  europi-http conform --firmware ~/src/EuroPi --update --run errors/
  europi-http conform --run '^get/' --clients
  europi-http conform --scenarios rec --example http_control`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && opts.Clients {
				// clients --clients takes a list; conform's runs them all.
				return fmt.Errorf("--clients takes no list (got %q): it runs every client; `europi-http clients --clients LIST` picks some", args[0])
			}
			return cobra.NoArgs(cmd, args)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out, opts.ErrOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Race.changed(cmd)
			if err := opts.validate(cmd.Flags().Changed("python")); err != nil {
				return usageError(err)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runConform(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Targets, "target", nil, "a running `[LABEL,...=]URL` (http://HOST:PORT); labels such as micropython,pico-w select per-runtime expectations; repeatable")
	f.StringArrayVar(&opts.Firmwares, "firmware", nil, "a EuroPi checkout `DIR` whose http_server.py to start on loopback with the fixture; repeatable")
	f.StringSliceVar(&opts.Pythons, "python", []string{"python3"}, "the `INTERPRETER` each --firmware runs under: python3, micropython or a path; repeatable")
	f.BoolVar(&opts.Emulator, "emulator", false, "also run against the in-process emulator when other targets are given")
	f.StringSliceVar(&opts.Profiles, "profile", nil, "device profiles to run the emulator under, `NAME`[,NAME]: host, pico-w, pico-w-patched; one emulator target each")
	f.StringSliceVar(&opts.Without, "without", nil, "turn named rules of --profile off, `RULE`[,RULE] (see europi-http profiles)")
	addPicoRaceFlags(cmd, &opts.Race)
	f.StringVar(&opts.Run, "run", "", "run only scenarios whose ID matches this `REGEXP`")
	f.BoolVar(&opts.List, "list", false, "list the selected scenarios and exit")
	f.StringVar(&opts.JSON, "json", "", "write a JSON report to `FILE`")
	f.StringVar(&opts.JUnit, "junit", "", "write a JUnit XML report to `FILE`")
	f.BoolVar(&opts.Update, "update", false, "rewrite failing expectations from the target's actual bytes (one target; needs scenario files on disk); under --profile, or for a labelled --target, into [expect when LABEL] overrides")
	f.StringVar(&opts.Scenarios, "scenarios", "", "folder `DIR` of .scenario files to run instead of the embedded ones, such as a recording")
	f.DurationVar(&opts.Timeout, "timeout", scenario.DefaultTimeout, "deadline of every connect and write, and idle timeout of reads, for scenarios that set none")
	f.DurationVar(&opts.ScenarioTimeout, "scenario-timeout", 0, fmt.Sprintf("deadline of each scenario attempt, steps and reads together, however often bytes arrive (default %d× --timeout, at least %s, plus the scenario's waits)",
		conformance.ScenarioTimeoutFactor, conformance.MinScenarioTimeout))
	f.BoolVar(&opts.Clients, "clients", false, "after each target's suite, run the clients report against it, as europi-http clients --target does")
	f.IntVar(&opts.Retries, "retries", conformance.DefaultRetry.Max, "retries of a scenario whose failure timing may have decided (a refused or reset connection, a request answered that should have been lost, any failure under --profile), `N` (0 to disable)")
	f.IntVar(&opts.GiveUpAfter, "give-up-after", conformance.DefaultGiveUpAfter, "stop a target's run after `N` scenarios in a row got no answer (0: never), so a target that accepts and stays silent or trickles does not cost every scenario's deadline")
	f.DurationVar(&opts.Deadline, "deadline", 0, "deadline of the whole run, every target together (0: none); scenarios not run by then count as failed")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "print notes and declared differences of passing scenarios")
	addScriptFlags(cmd, &opts.Script, &opts.Example, "the conformance fixture in the in-process emulator")
	return cmd
}

// validate checks flags that cannot be judged one by one.
func (o *ConformOptions) validate(pythonSet bool) error {
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout %s: must be positive", o.Timeout)
	}
	if o.ScenarioTimeout < 0 {
		return fmt.Errorf("--scenario-timeout %s: must be positive (or 0 for the default)", o.ScenarioTimeout)
	}
	if o.Retries < 0 {
		return fmt.Errorf("--retries %d: must be 0 or more", o.Retries)
	}
	if o.GiveUpAfter < 0 {
		return fmt.Errorf("--give-up-after %d: must be 0 (never) or more", o.GiveUpAfter)
	}
	if o.Deadline < 0 {
		return fmt.Errorf("--deadline %s: must be positive (or 0 for none)", o.Deadline)
	}
	if pythonSet && len(o.Firmwares) == 0 {
		return errors.New("--python only applies to --firmware targets")
	}
	for _, p := range o.Pythons {
		if strings.TrimSpace(p) == "" {
			return errors.New("--python: empty interpreter name")
		}
	}
	for _, t := range o.Targets {
		if _, err := parseTargetSpec(t); err != nil {
			return err
		}
	}
	if _, err := conformProfiles(o.Profiles, o.Without, o.Race); err != nil {
		return err
	}
	if (len(o.Profiles) > 0 || len(o.Without) > 0) && !o.runsEmulator() {
		return errors.New("--profile and --without apply to the in-process emulator: add --emulator, or label a device with --target pico-w=URL")
	}
	if (o.Script != "" || o.Example != "") && !o.runsEmulator() {
		return errors.New("--script and --example choose what the in-process emulator serves: add --emulator to run it beside --target or --firmware")
	}
	if o.List {
		return nil
	}
	if o.Update && o.targetCount() != 1 {
		return fmt.Errorf("--update rewrites expectations from one target; %d given", o.targetCount())
	}
	return nil
}

// runsEmulator reports whether the flags ask for the in-process emulator.
func (o *ConformOptions) runsEmulator() bool {
	return len(o.Targets)+len(o.Firmwares) == 0 || o.Emulator
}

// targetCount is how many targets the flags ask for.
func (o *ConformOptions) targetCount() int {
	n := len(o.Targets) + len(o.Firmwares)*len(o.Pythons)
	if o.runsEmulator() {
		n += max(len(o.Profiles), 1)
	}
	return n
}

// targetSpec is one parsed --target.
type targetSpec struct {
	labels []string
	addr   string
}

// parseTargetSpec parses [LABEL,...=]http://HOST:PORT (or HOST:PORT). The
// URL may not carry a path, query or credentials: a target is an address.
func parseTargetSpec(s string) (targetSpec, error) {
	var spec targetSpec
	rest := s
	if i := strings.Index(s, "="); i >= 0 && !strings.ContainsAny(s[:i], ":/") {
		for _, l := range strings.Split(s[:i], ",") {
			l = strings.TrimSpace(l)
			if err := scenario.CheckLabel(l); err != nil {
				return spec, fmt.Errorf("--target %q: %w", s, err)
			}
			spec.labels = append(spec.labels, l)
		}
		rest = s[i+1:]
	}
	if !strings.Contains(rest, "://") {
		rest = "http://" + rest
	}
	u, err := url.Parse(rest)
	if err != nil {
		return spec, fmt.Errorf("--target %q: %w", s, err)
	}
	switch {
	case u.Scheme != "http":
		return spec, fmt.Errorf("--target %q: only http:// targets (the device speaks plain HTTP)", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return spec, fmt.Errorf("--target %q: want http://HOST:PORT with nothing after it", s)
	case u.Hostname() == "":
		return spec, fmt.Errorf("--target %q: no host", s)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return spec, fmt.Errorf("--target %q: bad port %q", s, port)
	}
	spec.addr = net.JoinHostPort(u.Hostname(), port)
	return spec, nil
}

// runtimeLabel names the runtime an interpreter is, for labels.
func runtimeLabel(python string) string {
	if strings.Contains(strings.ToLower(filepath.Base(python)), "micropython") {
		return "micropython"
	}
	return "cpython"
}

// loadScenarios returns the scenarios --scenarios and --run select.
func (o *ConformOptions) loadScenarios() ([]*scenario.Scenario, error) {
	var all []*scenario.Scenario
	var err error
	if o.Scenarios != "" {
		if all, err = scenario.LoadDir(o.Scenarios); err != nil {
			return nil, usageError(fmt.Errorf("--scenarios %s: %w", o.Scenarios, err))
		}
	} else if all, err = scenario.Default(); err != nil {
		return nil, err
	}
	all, err = scenario.Select(all, o.Run)
	return all, usageError(err)
}

// updateDir is the folder --update writes to.
func (o *ConformOptions) updateDir() (string, error) {
	if o.Scenarios != "" {
		return o.Scenarios, nil
	}
	if st, err := os.Stat(defaultUpdateDir); err == nil && st.IsDir() {
		return defaultUpdateDir, nil
	}
	return "", usageError(fmt.Errorf("--update needs the scenario files on disk: pass --scenarios DIR, or run from the repository root (with %s)", defaultUpdateDir))
}
