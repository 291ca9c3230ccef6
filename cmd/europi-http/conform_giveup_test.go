package main

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/internal/testnet"
)

// silentTarget accepts every connection and never answers.
func silentTarget(t *testing.T) string {
	return testnet.ServeConcurrently(t, func(c *net.TCPConn) { _, _ = io.Copy(io.Discard, c) })
}

// A target that accepts and never answers costs a few scenarios, not the
// whole suite: the run says so and exits non-zero.
func TestRunConformGivesUpOnASilentTarget(t *testing.T) {
	var out bytes.Buffer
	o := conformOpts("", &out, silentTarget(t))
	o.Run, o.Timeout, o.Retries, o.GiveUpAfter = "^get/", 200*time.Millisecond, 0, 3
	start := time.Now()
	err := runConform(t.Context(), o)
	var ee *exitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.code)
	assert.Contains(t, err.Error(), "target not answering: 3 scenarios in a row got no answer (last: get/")
	assert.Regexp(t, `== 127\.0\.0\.1:\d+: target not answering: .*; \d+ scenario\(s\) not run\n`, out.String())
	assert.Equal(t, 3, bytes.Count(out.Bytes(), []byte("FAIL  get/")), "three scenarios ran:\n%s", out.String())
	t.Logf("gave up after %v:\n%s", time.Since(start).Round(time.Millisecond), out.String())
}

// --deadline ends the whole run, however patient the other limits are.
func TestRunConformDeadline(t *testing.T) {
	var out bytes.Buffer
	o := conformOpts("", &out, silentTarget(t))
	o.Run, o.Timeout, o.Retries, o.GiveUpAfter, o.Deadline = "^get/", 300*time.Millisecond, 0, 0, time.Second
	err := runConform(t.Context(), o)
	var ee *exitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.code)
	assert.Regexp(t, `^--deadline 1s passed: \d+ scenario\(s\) not run, \d+ failed$`, err.Error())
	assert.NotContains(t, err.Error(), "interrupted")
}
