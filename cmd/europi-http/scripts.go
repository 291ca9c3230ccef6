package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/emulator"
)

// ScriptsOptions holds what `europi-http scripts` prints to.
type ScriptsOptions struct {
	Out io.Writer
}

// NewCmdScripts builds `europi-http scripts`. runF replaces the real run in
// tests; nil means runScripts.
func NewCmdScripts(runF func(context.Context, *ScriptsOptions) error) *cobra.Command {
	opts := &ScriptsOptions{}
	return &cobra.Command{
		Use:     "scripts",
		Short:   "List the embedded example scripts that serve --example runs",
		Example: "  europi-http scripts\n  europi-http serve --example status",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out = cmd.OutOrStdout()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runScripts(cmd.Context(), opts)
		},
	}
}

func runScripts(_ context.Context, opts *ScriptsOptions) error {
	w := tabwriter.NewWriter(opts.Out, 0, 4, 2, ' ', 0)
	for _, ex := range emulator.Examples() {
		fmt.Fprintf(w, "%s\t%s\n", ex.Name, ex.Description)
	}
	return w.Flush()
}
