package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runTestdata is pyrun's own test firmware and scripts.
var runTestdata = filepath.Join("..", "..", "emulator", "pyrun", "testdata")

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    RunOptions
		wantErr string
	}{
		{"defaults", []string{"app.py", "--firmware", "fw"},
			RunOptions{Script: "app.py", Firmware: "fw", Listen: "127.0.0.1:8080", Dashboard: "127.0.0.1:8081"}, ""},
		{"everything", []string{"contrib.http_control", "--firmware", "fw", "--python", "python3", "--listen", "127.0.0.1:9000",
			"--dashboard", "127.0.0.1:9001", "--set", "k1=40", "--set", "b1=1", "--watch", "--quiet"},
			RunOptions{Script: "contrib.http_control", Firmware: "fw", Python: "python3", Listen: "127.0.0.1:9000",
				Dashboard: "127.0.0.1:9001", Sets: []string{"k1=40", "b1=1"}, Watch: true, Quiet: true}, ""},
		{"no dashboard", []string{"a.py", "--firmware", "fw", "--no-dashboard"},
			RunOptions{Script: "a.py", Firmware: "fw", Listen: "127.0.0.1:8080", Dashboard: "127.0.0.1:8081", NoDashboard: true}, ""},
		{"dashboard clash", []string{"a.py", "--firmware", "fw", "--dashboard", "127.0.0.1:1", "--no-dashboard"}, RunOptions{}, "[dashboard no-dashboard] were all set"},
		{"no script", []string{"--firmware", "fw"}, RunOptions{}, "accepts 1 arg(s), received 0"},
		{"two scripts", []string{"a.py", "b.py", "--firmware", "fw"}, RunOptions{}, "accepts 1 arg(s), received 2"},
		{"no firmware", []string{"a.py"}, RunOptions{}, `required flag(s) "firmware" not set`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdRun, tt.args, tt.want, tt.wantErr)
		})
	}
}

// TestRunBadInput: each problem found before the script runs is one line
// and exit code 2.
func TestRunBadInput(t *testing.T) {
	fw := filepath.Join(runTestdata, "firmware")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"firmware without europi.py", []string{"x.py", "--firmware", t.TempDir()}, "has no EuroPi firmware"},
		{"missing script", []string{filepath.Join(t.TempDir(), "none.py"), "--firmware", fw}, "no such script file"},
		{"interpreter not found", []string{filepath.Join(runTestdata, "scripts", "exits.py"), "--firmware", fw, "--python", "no-such-python"}, "not found"},
		{"bad --set", []string{filepath.Join(runTestdata, "scripts", "exits.py"), "--firmware", fw, "--set", "k9=1"}, "unknown input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := runRun(context.Background(), &RunOptions{Script: c.args[0], Firmware: c.args[2], Python: pick(c.args, "--python"),
				Sets: sets(c.args), Listen: "127.0.0.1:0", NoDashboard: true, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
			var ee *exitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, 2, ee.code)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func pick(args []string, flag string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			return args[i+1]
		}
	}
	return ""
}

func sets(args []string) []string {
	if s := pick(args, "--set"); s != "" {
		return []string{s}
	}
	return nil
}

// TestRunExitCodes: run exits with the interpreter's code, and with 2 and
// one line for a script that does not import: one that does not compile,
// or whose top level fails on an import statement.
func TestRunExitCodes(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH")
	}
	fw := filepath.Join(runTestdata, "firmware")
	cases := []struct {
		script string
		code   int
		want   string
	}{
		{"exits.py", 3, "the script exited with code 3"},
		{"raises.py", 1, "ValueError: boom from the test script"},
		{"syntax.py", 2, "does not import"},
		{"imports_missing.py", 2, "imports_missing.py does not import: ModuleNotFoundError: No module named 'no_such_module_for_the_test'"},
		{"imports_at_run_time.py", 1, "ModuleNotFoundError: No module named 'no_such_module_at_run_time'"},
	}
	for _, c := range cases {
		t.Run(c.script, func(t *testing.T) {
			ch := startChild(t, "main", "run", filepath.Join(runTestdata, "scripts", c.script), "--firmware", fw,
				"--python", "python3", "--listen", "127.0.0.1:0", "--no-dashboard")
			ch.waitLine(t, c.want, 30*time.Second)
			require.True(t, ch.waitExit(30*time.Second))
			var exit *exec.ExitError
			require.True(t, errors.As(ch.err, &exit))
			assert.Equal(t, c.code, exit.ExitCode())
		})
	}
}

// TestRunInterruptStopsTheInterpreter: Ctrl-C ends run and the
// interpreter it started, by its own pid, and leaves nothing running.
func TestRunInterruptStopsTheInterpreter(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH")
	}
	ch := startChild(t, "main", "run", filepath.Join(runTestdata, "scripts", "panel.py"), "--firmware", filepath.Join(runTestdata, "firmware"),
		"--python", "python3", "--listen", "127.0.0.1:0", "--no-dashboard")
	line := ch.waitLine(t, "(pid ", 30*time.Second)
	m := regexp.MustCompile(`\(pid (\d+)\)`).FindStringSubmatch(line)
	require.Len(t, m, 2)
	pid, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	ch.waitLine(t, "address 127.0.0.1", 30*time.Second)
	ch.signal(t, syscall.SIGINT)
	require.True(t, ch.waitExit(30*time.Second), "run did not stop")
	assert.NoError(t, ch.err, "Ctrl-C is a clean stop")
	assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "the interpreter is gone")
}
