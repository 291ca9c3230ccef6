package main

import (
	"context"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each subcommand is built by its own
// NewCmdX with a nil runF, so it runs for real.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "europi-http",
		Short: "Emulate and check EuroPi's experimental.http_server without a Pico W",
		Long: `europi-http runs EuroPi web-server scripts on a desktop with the same bytes on the
wire as the module's MicroPython http_server, and checks any implementation (the
emulator, a real Pico W, upstream's http_server.py) against recorded scenarios.`,
		Example: `  europi-http serve                 # the embedded http_control app on 127.0.0.1:8080
  europi-http conform               # the conformance suite against the emulator`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		NewCmdServe(nil),
		NewCmdScripts(nil),
		NewCmdConform(nil),
		NewCmdProfiles(nil),
		NewCmdBench(nil),
		NewCmdRecord(nil),
		NewCmdClients(nil),
		NewCmdRun(nil),
		NewCmdVersion(nil),
	)
	return root
}

// execute runs the command line args (nil: the process's) and returns
// its error, with every error that came before the command ran (a bad
// flag, argument or flag combination, an unknown command) made a usage
// error: exit code 2.
func execute(ctx context.Context, root *cobra.Command, args []string) error {
	started := false
	var mark func(*cobra.Command)
	mark = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				started = true // cobra has checked flags, groups and arguments
				return run(cmd, args)
			}
		}
		for _, sub := range c.Commands() {
			mark(sub)
		}
	}
	mark(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	if args != nil {
		root.SetArgs(args)
	}
	err := root.ExecuteContext(ctx)
	if err != nil && !started {
		return usageError(err)
	}
	return err
}
