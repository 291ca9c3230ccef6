package clients

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"time"
)

// runCommand runs a client program with stdin, within ctx, and returns
// its output, its exit status (-1 when it did not run to an exit) and the
// error that kept it from running.
func runCommand(ctx context.Context, stdin []byte, name string, args ...string) (stdout, stderr []byte, code int, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// A child that outlives the kill must not hold the pipes open.
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.Bytes(), errOut.Bytes(), 0, nil
	case errors.As(err, &ee) && ee.Exited():
		return out.Bytes(), errOut.Bytes(), ee.ExitCode(), nil
	}
	return out.Bytes(), errOut.Bytes(), -1, err
}

// lookPath returns the program to run: path itself when set, else the
// first of names on PATH.
func lookPath(path string, names ...string) (string, error) {
	if path != "" {
		return exec.LookPath(path)
	}
	var first error
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err == nil {
			return p, nil
		}
		if first == nil {
			first = err
		}
	}
	return "", first
}
