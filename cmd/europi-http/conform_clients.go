package main

import (
	"context"
	"fmt"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/clients"
)

// clientsOptions returns the options of the clients report that --clients
// runs against a conform target: the same scenarios (--scenarios, --run),
// the same streams, the target's address in place of the emulator the
// clients command would start, and the named clients.
func (o *ConformOptions) clientsOptions(t conformance.Target, names []string) (*ClientsOptions, error) {
	co := &ClientsOptions{Target: t.Addr, Clients: names, Run: o.Run, Scenarios: o.Scenarios,
		Timeout: clients.DefaultTimeout, Verbose: o.Verbose, Out: o.Out, ErrOut: o.ErrOut}
	if err := co.validate(); err != nil {
		return nil, err
	}
	return co, nil
}

// runConformClients prints the clients report for a target after its
// suite's summary, by runClients itself. It returns why the report could
// not be made, if it could not.
func runConformClients(ctx context.Context, o *ConformOptions, t conformance.Target, names []string) error {
	co, err := o.clientsOptions(t, names)
	if err == nil {
		fmt.Fprintf(o.Out, "\n== clients on %s\n", t.Name)
		err = runClients(ctx, co)
	}
	if err != nil {
		return fmt.Errorf("clients report on %s: %w", t.Name, err)
	}
	fmt.Fprintln(o.Out)
	return nil
}
