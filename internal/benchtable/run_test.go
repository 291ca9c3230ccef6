package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunWithThePeers builds internal/benchpeer and measures both peers
// for a moment: the whole path `make bench` takes, minus the emulator and
// upstream (which have their own tests).
func TestRunWithThePeers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds internal/benchpeer")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	err := run(ctx, options{rounds: 2, duration: 200 * time.Millisecond, conns: []int{1, 2}, timeout: 5 * time.Second,
		servers: []string{"nethttp", "serial", "serial-blocking", "serial-sysbacklog", "bare", "upstream"}}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	text := out.String()
	assert.Contains(t, text, fmt.Sprintf("GET / (%d-byte response, the same bytes from every server), 2 rounds of 200ms per server and concurrency", len(devicePage)))
	assert.Regexp(t, `(?m)^net/http\s+1\s+\d+\s+±\d+%\s+\S+ms\s+\S+ms\s+0\s+\d+\.\d MiB\s+1\.00×\s+\d\.\d\d×\s+(-|\d\.\d\d× \d+/\d+)\s+(-|\d\.\d\d× \d+/\d+)$`, text)
	assert.Regexp(t, `(?m)^net/http\s+2\s+`, text)
	assert.Regexp(t, `(?m)^serial \(one at a time\)\s+1\s+\d+ .*1\.00×\s+(-|\d\.\d\d× \d+/\d+)\s+(-|\d\.\d\d× \d+/\d+)$`, text)
	assert.Regexp(t, `(?m)^serial \(one at a time\)\s+2\s+`, text)
	assert.Regexp(t, `(?m)^serial, system backlog\s+2\s+\d+ .*\d\.\d\d×\s+(-|\d\.\d\d× \d+/\d+)\s+(-|\d\.\d\d× \d+/\d+)$`, text)
	if runtime.GOOS == "linux" {
		assert.Regexp(t, `(?m)^serial, blocking calls\s+1\s+\d+ .*\d\.\d\d×\s+(-|\d\.\d\d× \d+/\d+)\s+(-|\d\.\d\d× \d+/\d+)$`, text)
		assert.Regexp(t, `(?m)^  - stolen: the hypervisor gave \d+\.\d% of this machine's CPU time`, text)
		assert.Regexp(t, `(?m)^benchtable: round 1/2 net/http\s+1 conns\s+\d+ req/s\s+0 errors\s+\d+\.\d% stolen$`, errOut.String())
	}
	assert.Regexp(t, `(?m)^bare \(goroutines\)\s+2\s+\d+ .*\d\.\d\d×\s+(-|\d\.\d\d× \d+/\d+)\s+(-|\d\.\d\d× \d+/\d+)$`, text)
	assert.Contains(t, text, "1 connection, one request to each server in turn, 300 each")
	assert.Regexp(t, `(?m)^serial \(one at a time\)\s+\d+µs\s+\d+µs\s+\d+\s+0\s+1\.00×$`, text)
	assert.Regexp(t, `(?m)^net/http\s+\d+µs\s+\d+µs\s+\d+\s+0\s+\d\.\d\d×$`, text)
	assert.Contains(t, text, "upstream skipped: set EUROPI_FIRMWARE")
	assert.NotContains(t, text, "sends different bytes")
	assert.Contains(t, errOut.String(), "benchtable: round 2/2 net/http")
	// Round 2 goes through the servers backwards.
	progress := errOut.String()
	first, second := strings.Index(progress, "round 1/2 net/http"), strings.Index(progress, "round 2/2 net/http")
	require.True(t, first >= 0 && second >= 0, progress)
	assert.Less(t, strings.Index(progress, "round 1/2 net/http"), strings.Index(progress, "round 1/2 bare"))
	assert.Less(t, strings.Index(progress, "round 2/2 bare"), strings.Index(progress, "round 2/2 net/http"))
}

// The serial yardstick listens with the device's backlog, as the emulator
// does; its twin keeps the system's.
func TestSerialPeersBacklogs(t *testing.T) {
	args := map[string][]string{}
	for _, p := range peers {
		args[p.server] = p.args
	}
	assert.Equal(t, []string{"-kind", "serial", "-backlog", "5"}, args["serial"])
	assert.Equal(t, []string{"-kind", "serial"}, args["serial-sysbacklog"])
	assert.Equal(t, []string{"-kind", "blocking", "-backlog", "5"}, args["serial-blocking"])
}
