package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/internal/testnet"
)

// Bad input exits 2, whatever part of the command line it is in and
// whether cobra or the command finds it: flags, arguments, flag groups,
// values, a script that cannot be read or does not load.
func TestExecuteExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.star")
	require.NoError(t, os.WriteFile(broken, []byte("server = HttpServer(\n"), 0o644))
	unreadable := filepath.Join(dir, "unreadable.star")
	require.NoError(t, os.Mkdir(unreadable, 0o755)) // a folder: reading it fails
	serve := []string{"serve", "--listen", "127.0.0.1:0", "--no-dashboard"}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"version", []string{"version"}, 0},
		{"unknown command", []string{"nope"}, 2},
		{"unknown flag", []string{"serve", "--bogus"}, 2},
		{"bad flag value", []string{"conform", "--timeout", "soon"}, 2},
		{"positional argument", []string{"serve", "extra"}, 2},
		{"flags that exclude each other", []string{"serve", "--script", "a.star", "--example", "status"}, 2},
		{"conform's checks", []string{"conform", "--timeout", "0s"}, 2},
		{"clients' checks", []string{"clients", "--clients", "wget"}, 2},
		{"record's checks", []string{"record", "--out", ""}, 2},
		{"bench's checks", []string{"bench"}, 2},
		{"serve: unknown runtime", append(serve, "--runtime", "pypy"), 2},
		{"serve: bad --set", append(serve, "--set", "k1=101"), 2},
		{"serve: unknown profile", append(serve, "--profile", "pico-x"), 2},
		{"serve: a script that does not load", append(serve, "--script", broken), 2},
		{"serve: a script that is not there", append(serve, "--script", filepath.Join(dir, "missing.star")), 2},
		{"serve: a script that cannot be read", append(serve, "--script", unreadable), 2},
		{"serve: an unknown example", append(serve, "--example", "nope"), 2},
		{"serve: a bad memory limit", append(serve, "--memory-limit", "64XB"), 2},
		{"conform: --scenarios not there", []string{"conform", "--scenarios", filepath.Join(dir, "none")}, 2},
		{"conform: --run selects nothing", []string{"conform", "--run", "^nothing$"}, 2},
		{"conform: --json not writable", []string{"conform", "--json", filepath.Join(dir, "no", "such", "r.json")}, 2},
		{"conform: --update without scenario files", []string{"conform", "--update", "--run", "^get/text$"}, 2},
		{"conform: --firmware not a checkout", []string{"conform", "--firmware", dir}, 2},
		{"serve: --listen without a port", []string{"serve", "--listen", "nope", "--no-dashboard"}, 2},
		{"serve: --listen port out of range", []string{"serve", "--listen", "127.0.0.1:99999", "--no-dashboard"}, 2},
		{"serve: --dashboard without a port", []string{"serve", "--listen", "127.0.0.1:0", "--dashboard", "nope"}, 2},
		{"serve: negative --call-timeout", append(serve, "--call-timeout", "-1s"), 2},
		{"record: --listen port out of range", []string{"record", "--out", dir, "--listen", "127.0.0.1:99999"}, 2},
		{"record: --out is a file", []string{"record", "--out", broken, "--listen", "127.0.0.1:0"}, 2},
		{"profiles: unknown profile", []string{"profiles", "pico-x"}, 2},
		{"bench: not http", []string{"bench", "--target", "ftp://127.0.0.1/"}, 2},
		{"bench: --body not there", []string{"bench", "--target", "http://127.0.0.1:1/", "-X", "POST", "--body", filepath.Join(dir, "none")}, 2},
		{"clients: --example with --target", []string{"clients", "--example", "status", "--target", "127.0.0.1:1"}, 2},
		{"clients: --script and --example", []string{"clients", "--script", broken, "--example", "status"}, 2},
		{"clients: a script that does not load", []string{"clients", "--clients", "go", "--script", broken}, 2},
		{"clients: --json not writable", []string{"clients", "--clients", "go", "--json", filepath.Join(dir, "no", "such", "r.json")}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			var out bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&out)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := execute(ctx, root, tt.args)
			assert.Equal(t, tt.want, exitCode(err), "%v", err)
		})
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr string
	}{
		{"67108864", 64 << 20, ""},
		{"64MiB", 64 << 20, ""},
		{"64M", 64 << 20, ""},
		{"64mb", 64 << 20, ""},
		{"1GiB", 1 << 30, ""},
		{"512KiB", 512 << 10, ""},
		{"100B", 100, ""},
		{"0", 0, ""},
		{"", 0, "not a size"},
		{"MiB", 0, "not a size"},
		{"-1", 0, "not a size"},
		{"1.5GiB", 0, "unknown unit"},
		{"64XB", 0, `unknown unit "XB"`},
		{"99999999999999999999", 0, "too large"},
		{"17179869184GiB", 0, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseByteSize(tt.in)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestServeMemoryLimitFlag(t *testing.T) {
	var got *ServeOptions
	cmd := NewCmdServe(func(_ context.Context, o *ServeOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--memory-limit", "64MiB"})
	cmd.SetOut(io.Discard)
	require.NoError(t, cmd.Execute())
	assert.Equal(t, uint64(64<<20), got.MemoryLimit)
	assert.Equal(t, "64MiB", cmd.Flags().Lookup("memory-limit").Value.String())
}

// --scenarios errors name the folder given.
func TestScenariosErrorsNameThePath(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(t.TempDir(), "missing")
	for _, dir := range []string{empty, missing} {
		var out bytes.Buffer
		o := conformOpts(dir, &out)
		err := runConform(t.Context(), o)
		assert.ErrorContains(t, err, "--scenarios "+dir+": ")
		assert.Equal(t, 2, exitCode(err))

		co := clientsOpts(&out, &out, "", "go")
		co.Scenarios = dir
		err = runClients(t.Context(), co)
		assert.ErrorContains(t, err, "--scenarios "+dir+": ")
		assert.Equal(t, 2, exitCode(err))
	}
}

// conform checks that it can write its reports before it runs anything.
func TestConformChecksReportsBeforeRunning(t *testing.T) {
	var started atomic.Bool
	addr := testnet.Serve(t, func(*net.TCPConn) { started.Store(true) })
	for _, flag := range []string{"json", "junit"} {
		var out bytes.Buffer
		o := conformOpts("", &out, addr)
		bad := filepath.Join(t.TempDir(), "no", "folder", "r")
		if flag == "json" {
			o.JSON = bad
		} else {
			o.JUnit = bad
		}
		err := runConform(t.Context(), o)
		assert.ErrorContains(t, err, "--"+flag+" "+bad+": ")
		assert.Equal(t, 2, exitCode(err))
		assert.NotContains(t, out.String(), "==", "nothing ran")
	}
	assert.False(t, started.Load(), "the target was not contacted")
}

// clients fails when its target cannot be reached or a client named by
// its path is not there.
func TestClientsExitCodes(t *testing.T) {
	var out bytes.Buffer
	o := clientsOpts(&out, &out, "^get/text$", "go")
	o.Target, o.targetAddr = "127.0.0.1:1", testnet.RefusedAddr(t)
	err := runClients(t.Context(), o)
	assert.ErrorContains(t, err, "--target 127.0.0.1:1 is unreachable")
	assert.Equal(t, 1, exitCode(err))

	o = clientsOpts(&out, &out, "^get/text$", "chromium")
	o.Chromium = filepath.Join(t.TempDir(), "no-chromium")
	err = runClients(t.Context(), o)
	assert.ErrorContains(t, err, "--chromium "+o.Chromium+": ")
	assert.Equal(t, 1, exitCode(err))
}

// record says at start that it cannot reach its --upstream.
func TestRecordChecksItsUpstream(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	err = recordOn(t.Context(), &RecordOptions{Dir: t.TempDir(), Upstream: "x", upstreamAddr: testnet.RefusedAddr(t),
		Out: io.Discard, ErrOut: io.Discard}, ln)
	assert.ErrorContains(t, err, "cannot reach it")
	assert.Equal(t, 1, exitCode(err))
}
