package main

import (
	"bytes"
	"context"
	"fmt"
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
		servers: []string{"nethttp", "serial", "bare", "upstream"}}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	text := out.String()
	assert.Contains(t, text, fmt.Sprintf("GET / (%d-byte response, the same bytes from every server), 2 rounds of 200ms per server and concurrency", len(devicePage)))
	assert.Regexp(t, `(?m)^net/http\s+1\s+\d+\s+±\d+%\s+\S+ms\s+\S+ms\s+0\s+\d+\.\d MiB\s+1\.00×\s+\d\.\d\d×$`, text)
	assert.Regexp(t, `(?m)^net/http\s+2\s+`, text)
	assert.Regexp(t, `(?m)^serial \(one at a time\)\s+1\s+\d+ .*1\.00×$`, text)
	assert.Regexp(t, `(?m)^serial \(one at a time\)\s+2\s+`, text)
	assert.Regexp(t, `(?m)^bare \(goroutines\)\s+2\s+\d+ .*\d\.\d\d×$`, text)
	assert.Contains(t, text, "upstream skipped: set EUROPI_FIRMWARE")
	assert.NotContains(t, text, "sends different bytes")
	assert.Contains(t, errOut.String(), "benchtable: round 2/2 net/http")
}
