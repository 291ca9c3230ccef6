package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/clients"
	"github.com/europi-http/europi-http/conformance/fixture"
	"github.com/europi-http/europi-http/conformance/report"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/emutarget"
	"github.com/europi-http/europi-http/internal/upstream"
)

// launcher starts one target and says how to stop it.
type launcher struct {
	name  string
	start func(ctx context.Context) (conformance.Target, func(), error)
	// overrideLabel, when set, is the label whose override sections
	// --update writes instead of changing the base expectations: the
	// device profile's name, or a labelled --target's last label.
	overrideLabel string
}

// launchers returns the targets the flags ask for, in order: the emulator
// (when no other target is given, or with --emulator), each --target, then
// each --firmware under each --python.
func (o *ConformOptions) launchers() []launcher {
	var out []launcher
	if o.runsEmulator() {
		profiles, _ := conformProfiles(o.Profiles, o.Without, o.Race) // validated with the flags
		for _, p := range profiles {
			l := launcher{name: emutarget.Name(p), start: func(ctx context.Context) (conformance.Target, func(), error) {
				return startEmulatorTarget(ctx, o.emulatorConfig(), p)
			}}
			if p.Name != profile.Host {
				l.overrideLabel = p.Name
			}
			out = append(out, l)
		}
	}
	for _, t := range o.Targets {
		spec, _ := parseTargetSpec(t) // validated when the flags were parsed
		l := launcher{name: spec.addr, start: func(context.Context) (conformance.Target, func(), error) {
			return conformance.Target{Name: spec.addr, Addr: spec.addr, Labels: spec.labels}, func() {}, nil
		}}
		if len(spec.labels) > 0 {
			l.overrideLabel = spec.labels[len(spec.labels)-1]
		}
		out = append(out, l)
	}
	for i, fw := range o.Firmwares {
		for _, py := range o.Pythons {
			name := "upstream-" + filepath.Base(py)
			if len(o.Firmwares) > 1 {
				name = fmt.Sprintf("%s#%d", name, i+1)
			}
			out = append(out, launcher{name: name, start: o.upstreamStarter(name, fw, py)})
		}
	}
	return out
}

// emulatorConfig is the emulator --script or --example asks for (the
// fixture when neither is given).
func (o *ConformOptions) emulatorConfig() emulator.Config {
	return scriptEmulatorConfig(o.Script, o.Example, nil)
}

// upstreamStarter returns a launcher that starts upstream's http_server.py
// from a EuroPi checkout with the fixture, and stops it by its process.
func (o *ConformOptions) upstreamStarter(name, firmware, python string) func(context.Context) (conformance.Target, func(), error) {
	return func(ctx context.Context) (conformance.Target, func(), error) {
		p, err := upstream.Start(ctx, upstream.Config{Firmware: firmware, Python: python, AppSource: fixture.Python})
		if err != nil {
			return conformance.Target{}, nil, err
		}
		stop := func() {
			if err := p.Stop(); err != nil {
				fmt.Fprintf(o.ErrOut, "stopping %s: %v\n", name, err)
			}
		}
		t := conformance.Target{Name: name, Addr: p.Addr(), Labels: []string{"upstream", runtimeLabel(python)},
			Escapes: p, KeepsServing: true}
		return t, stop, nil
	}
}

// checkFirmwares says before anything runs when a --firmware names no
// EuroPi checkout or a --python cannot be found: bad input, like a
// missing --script.
func (o *ConformOptions) checkFirmwares() error {
	for _, fw := range o.Firmwares {
		if _, err := upstream.CheckoutRoot(fw); err != nil {
			return usageError(fmt.Errorf("--firmware: %w", err))
		}
	}
	if len(o.Firmwares) == 0 {
		return nil
	}
	for _, py := range o.Pythons {
		if _, err := exec.LookPath(py); err != nil {
			return usageError(fmt.Errorf("--python %s: %w (install it, or give python3, micropython or a path)", py, err))
		}
	}
	return nil
}

// conformSeams are what a conform run takes from its surroundings besides
// its flags, so tests can narrow them.
type conformSeams struct {
	// clients are the clients --clients runs.
	clients []string
}

// runConform runs `europi-http conform` with parsed options.
func runConform(ctx context.Context, o *ConformOptions) error {
	return runConformWith(ctx, o, conformSeams{clients: clients.Names})
}

// runConformWith is runConform with its seams given.
func runConformWith(ctx context.Context, o *ConformOptions, seams conformSeams) error {
	if err := checkScript(o.emulatorConfig(), o.runsEmulator()); err != nil {
		return err
	}
	if err := o.checkFirmwares(); err != nil {
		return err
	}
	scenarios, err := o.loadScenarios()
	if err != nil {
		return err
	}
	if o.List {
		for _, s := range scenarios {
			fmt.Fprintf(o.Out, "%-36s %s\n", s.ID, s.Description)
		}
		return nil
	}
	var updateDir string
	if o.Update {
		if updateDir, err = o.updateDir(); err != nil {
			return err
		}
	}

	reports, err := openReports(o)
	if err != nil {
		return err
	}
	defer reports.close()

	launchers := o.launchers()
	text := &report.TextReport{W: o.Out, Verbose: o.Verbose, ShowTarget: len(launchers) > 1}
	retry := conformance.DefaultRetry
	retry.Max = o.Retries
	giveUp := o.GiveUpAfter
	if giveUp == 0 {
		giveUp = -1 // the runner's "never"
	}
	runner := conformance.Runner{Timeout: o.Timeout, ScenarioTimeout: o.ScenarioTimeout, Retry: retry, GiveUpAfter: giveUp,
		OnResult: func(r conformance.Result) {
			if r.Abandoned == "" { // the scenarios not run get one line, below
				text.Result(r)
			}
		}}
	parent := ctx
	if o.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Deadline)
		defer cancel()
	}

	var runs []report.TargetResults
	var problems, clientProblems, silent []string
	overrideLabel := ""
	notRun := 0
	for _, l := range launchers {
		if ctx.Err() != nil {
			notRun += len(scenarios)
			continue
		}
		t, stop, err := l.start(ctx)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", l.name, err))
			fmt.Fprintf(o.ErrOut, "%s: %v\n", l.name, err)
			continue
		}
		fmt.Fprintf(o.Out, "== %s on %s [%s]: %d scenarios\n", t.Name, t.Addr, strings.Join(t.Labels, ","), len(scenarios))
		if t.Profile != "" {
			fmt.Fprintf(o.Out, "== device profile %s: a result's [rule ...] names the profile rules that acted on it\n", t.Profile)
		}
		results := runner.Run(ctx, t, scenarios)
		notRun += len(scenarios) - len(results)
		text.Summary(t.Name, results)
		if why, n := abandoned(results); n > 0 {
			fmt.Fprintf(o.Out, "== %s: %s; %d scenario(s) not run\n", t.Name, why, n)
			silent = append(silent, fmt.Sprintf("%s: %s", t.Name, why))
		}
		if o.Clients && ctx.Err() == nil {
			// While the target still runs: the emulator stops with it.
			if err := runConformClients(ctx, o, t, seams.clients); err != nil {
				clientProblems = append(clientProblems, err.Error())
				fmt.Fprintln(o.ErrOut, err)
			}
		}
		stop()
		runs = append(runs, report.TargetResults{Target: t, Results: results})
		overrideLabel = l.overrideLabel
	}
	if len(runs) > 1 {
		fmt.Fprintln(o.Out)
		if err := report.WriteMatrix(o.Out, runs); err != nil {
			return err
		}
	}
	if err := reports.write(runs); err != nil {
		return err
	}

	failed := 0
	for _, r := range runs {
		failed += report.Summarize(r.Results).Failed
	}
	if o.Update && len(runs) == 1 {
		left, err := updateScenarios(o, updateDir, runs[0].Results, overrideLabel)
		if err != nil {
			return err
		}
		failed = left
	}
	switch {
	case parent.Err() != nil:
		return &exitError{code: 1, err: fmt.Errorf("interrupted: %w", parent.Err())}
	case ctx.Err() != nil:
		return &exitError{code: 1, err: fmt.Errorf("--deadline %s passed: %d scenario(s) not run, %d failed", o.Deadline, notRun, failed)}
	case len(silent) > 0:
		return &exitError{code: 1, err: errors.New(strings.Join(silent, "; "))}
	case len(problems) > 0:
		return &exitError{code: 1, err: fmt.Errorf("%d target(s) did not start: %s", len(problems), strings.Join(problems, "; "))}
	case len(clientProblems) > 0:
		return &exitError{code: 1, err: errors.New(strings.Join(clientProblems, "; "))}
	case failed > 0:
		return &exitError{code: 1, err: fmt.Errorf("%d scenario(s) failed", failed)}
	}
	return nil
}

// updateScenarios rewrites the failing scenarios' expectations from the
// target's bytes, prints each change, and returns how many failures could
// not be turned into expectations. With a label, the changes go into
// override sections for it, and the base expectations stay.
func updateScenarios(o *ConformOptions, dir string, results []conformance.Result, label string) (int, error) {
	left, files := 0, 0
	for _, r := range results {
		if r.Status != conformance.StatusFail {
			continue
		}
		update := conformance.Update
		if label != "" {
			update = func(r conformance.Result) ([]conformance.Change, []conformance.Failure) {
				return conformance.UpdateOverride(r, label)
			}
		}
		changes, rest := update(r)
		for _, f := range rest {
			fmt.Fprintf(o.Out, "%s: cannot update %s\n", r.ID, f.Summary())
		}
		left += len(rest)
		if len(changes) == 0 {
			continue
		}
		if err := scenario.WriteFile(dir, r.Scenario); err != nil {
			return left, err
		}
		files++
		for _, c := range changes {
			fmt.Fprint(o.Out, c.String())
		}
		if label != "" && conformance.NeedsDifference(r.Scenario, label) {
			fmt.Fprintf(o.Out, "%s: write a difference and a rule line in its [... when %s] sections, saying why %s differs\n", r.ID, label, label)
		}
	}
	fmt.Fprintf(o.Out, "updated %d scenario file(s) in %s; %d failure(s) left\n", files, dir, left)
	return left, nil
}

// abandoned returns why a target's run stopped early and how many
// scenarios it did not run (0 when it ran them all).
func abandoned(results []conformance.Result) (string, int) {
	why, n := "", 0
	for _, r := range results {
		if r.Abandoned != "" {
			why = r.Abandoned
			n++
		}
	}
	return why, n
}
