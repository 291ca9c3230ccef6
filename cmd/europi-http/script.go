package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/emulator"
	"github.com/europi-http/europi-http/emulator/profile"
	"github.com/europi-http/europi-http/internal/emutarget"
	"github.com/europi-http/europi-http/pyrt"
)

// addScriptFlags adds --script FILE and --example NAME, which cannot be
// given together, to a command whose emulator serves instead by default.
func addScriptFlags(cmd *cobra.Command, script, example *string, instead string) {
	f := cmd.Flags()
	f.StringVar(script, "script", "", "Starlark handler script `FILE` to serve instead of "+instead)
	f.StringVar(example, "example", "", "embedded example `NAME` to serve instead of "+instead+" (see europi-http scripts)")
	cmd.MarkFlagsMutuallyExclusive("script", "example")
}

// checkScript loads the script cfg names, when the command will run it,
// so that a missing file, an unknown example or a script that does not
// load is bad input (exit code 2) before anything starts.
func checkScript(cfg emulator.Config, runs bool) error {
	if !runs || !cfg.NamesScript() {
		return nil
	}
	if _, err := emulator.New(cfg); err != nil {
		flag := "--script " + cfg.ScriptPath
		if cfg.Example != "" {
			flag = "--example " + cfg.Example
		}
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", flag, err)}
	}
	return nil
}

// scriptLabel names what an emulator serves, for a start-up line: the
// script's path, the example, or what it serves by default.
func scriptLabel(script, example, byDefault string) string {
	switch {
	case script != "":
		return script
	case example != "":
		return "example " + example
	}
	return byDefault
}

// scriptEmulatorConfig is the in-process emulator of conform, record and
// clients: serving script (--script) or example (--example), the
// conformance fixture when both are "", on io (nil: a panel of its own),
// copying CPython's differences as the fixture's expectations do.
func scriptEmulatorConfig(script, example string, io *emulator.IO) emulator.Config {
	return emulator.Config{ScriptPath: script, Example: example, IO: io, Runtime: pyrt.CPython}
}

// startEmulatorTarget starts the emulator cfg describes under device
// profile p (nil: the host) as a conformance target, and says how to stop it.
func startEmulatorTarget(ctx context.Context, cfg emulator.Config, p *profile.Profile) (conformance.Target, func(), error) {
	t, err := emutarget.Start(ctx, emutarget.Config{Emulator: cfg, Profile: p})
	if err != nil {
		return conformance.Target{}, nil, fmt.Errorf("starting the emulator: %w", err)
	}
	return t.Target, t.Stop, nil
}
