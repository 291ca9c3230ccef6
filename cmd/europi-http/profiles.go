package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/emulator/profile"
)

// ProfilesOptions holds what `europi-http profiles` lists and where.
type ProfilesOptions struct {
	// Name, if set, lists only that profile.
	Name string

	Out io.Writer
}

// NewCmdProfiles builds `europi-http profiles`. runF replaces the real run
// in tests; nil means runProfiles.
func NewCmdProfiles(runF func(context.Context, *ProfilesOptions) error) *cobra.Command {
	opts := &ProfilesOptions{}
	return &cobra.Command{
		Use:   "profiles [NAME]",
		Short: "List the device profiles serve --profile takes, with their rules",
		Long: `profiles lists every device profile and its rules: a short name and a sentence
each. serve --profile NAME makes the emulator's connections behave like that device;
--without RULE[,RULE] turns named rules off, to see which one breaks a page.`,
		Example: `  europi-http profiles
  europi-http profiles pico-w
  europi-http serve --profile pico-w --without send-buffer`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out = cmd.OutOrStdout()
			if len(args) == 1 {
				if _, err := profile.Lookup(args[0]); err != nil {
					return usageError(err)
				}
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runProfiles(cmd.Context(), opts)
		},
	}
}

func runProfiles(_ context.Context, opts *ProfilesOptions) error {
	profiles := profile.All()
	if opts.Name != "" {
		p, err := profile.Lookup(opts.Name)
		if err != nil {
			return err
		}
		profiles = []*profile.Profile{p}
	}
	w := tabwriter.NewWriter(opts.Out, 0, 4, 2, ' ', 0)
	for i, p := range profiles {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\t%s\n", p.Name, p.Summary)
		for _, r := range p.Rules {
			fmt.Fprintf(w, "  %s\t%s\n", r.Name, r.Summary)
		}
	}
	return w.Flush()
}
