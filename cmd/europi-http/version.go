package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// VersionOptions holds what `europi-http version` prints to.
type VersionOptions struct {
	Out io.Writer
}

// NewCmdVersion builds `europi-http version`. runF replaces the real run in
// tests; nil means runVersion.
func NewCmdVersion(runF func(context.Context, *VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{}
	return &cobra.Command{
		Use:     "version",
		Short:   "Print europi-http's version",
		Example: "  europi-http version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out = cmd.OutOrStdout()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runVersion(cmd.Context(), opts)
		},
	}
}

func runVersion(_ context.Context, opts *VersionOptions) error {
	_, err := fmt.Fprintf(opts.Out, "europi-http %s\n", buildVersion())
	return err
}

// buildVersion is the -ldflags version, else the module version Go
// recorded, else "devel" with the VCS revision when known.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel " + s.Value[:12]
		}
	}
	return "devel"
}
