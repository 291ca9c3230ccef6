package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := interruptContext()
	err := execute(ctx, newRootCmd(), nil)
	stop()
	os.Exit(exitCode(err))
}

// interruptContext returns a context that ends at the first Ctrl-C or
// SIGTERM, for a clean stop; the signal after it has its default effect,
// ending the process at once, in case the clean stop is stuck.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err (if any) as bad input, exit code 2, unless it
// already carries a code.
func usageError(err error) error {
	var ee *exitError
	if err == nil || errors.As(err, &ee) {
		return err
	}
	return &exitError{code: 2, err: err}
}

// exitCode prints err (if any) and maps it to the process exit code: 0 for
// success, the code an exitError names, 1 otherwise.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "europi-http:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}
