package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/internal/loadgen"
)

func result(rps float64, p50, p99 time.Duration, errs int64) *loadgen.Result {
	return &loadgen.Result{RequestsPerSec: rps, Latency: loadgen.Latency{P50: p50, P99: p99}, Errors: loadgen.ErrorCounts{Timeout: errs}}
}

// rounds returns one result per req/s figure, as measurePool collects a
// server's rounds.
func rounds(rps ...float64) []*loadgen.Result {
	var out []*loadgen.Result
	for _, r := range rps {
		out = append(out, result(r, time.Millisecond, time.Millisecond, 0))
	}
	return out
}

func TestWriteTable(t *testing.T) {
	rows := []row{
		{server: "emulator", conns: 1, res: result(1600, 300*time.Microsecond, 2*time.Millisecond, 0), rss: 14 << 20},
		{server: "nethttp", conns: 1, res: result(3200, 250*time.Microsecond, 1500*time.Microsecond, 0), rss: 12 << 20},
		{server: "serial", conns: 1, res: result(4000, 200*time.Microsecond, time.Millisecond, 0), rss: 11 << 20},
		{server: "upstream", conns: 16, res: result(9400, 12*time.Millisecond, 45*time.Millisecond, 3), rss: 0},
	}
	var out bytes.Buffer
	writeTable(&out, rows)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 5)
	assert.Regexp(t, `^server\s+conns\s+req/s\s+spread\s+p50\s+p99\s+errors\s+peak RSS\s+vs net/http\s+vs serial\s+calm vs serial\s+stolen vs serial$`, lines[0])
	assert.Regexp(t, `^serve --quiet --no-dashboard\s+1\s+1600\s+-\s+0\.30ms\s+2\.00ms\s+0\s+14\.0 MiB\s+0\.50×\s+0\.40×\s+-\s+-$`, lines[1])
	assert.Regexp(t, `^net/http\s+1\s+3200 .*1\.00×\s+0\.80×\s+-\s+-$`, lines[2])
	assert.Regexp(t, `^serial \(one at a time\)\s+1\s+4000 .*1\.25×\s+1\.00×\s+-\s+-$`, lines[3])
	// No net/http or serial run at 16: no ratio rather than a wrong one.
	assert.Regexp(t, `^upstream \(python3\)\s+16\s+9400\s+-\s+12\.0ms\s+45\.0ms\s+3\s+\?\s+-\s+-\s+-\s+-$`, lines[4])
}

// With rounds, a ratio is the median of the rounds' ratios, and the
// spread shows how far the rounds were apart.
func TestWriteTableRounds(t *testing.T) {
	emu, serial := rounds(900, 500, 1000), rounds(1000, 1000, 1000)
	rows := []row{
		{server: "emulator", conns: 1, res: medianResult(emu), rounds: emu},
		{server: "serial", conns: 1, res: medianResult(serial), rounds: serial},
	}
	var out bytes.Buffer
	writeTable(&out, rows)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	// Ratios 0.9, 0.5 and 1.0: the median is 0.9; the range 500 over the
	// median 900 is ±28%.
	assert.Regexp(t, `^serve --quiet --no-dashboard\s+1\s+900\s+±28%\s.*\s-\s+0\.90×\s+-\s+-$`, lines[1])
	assert.Regexp(t, `^serial \(one at a time\)\s+1\s+1000\s+±0%\s.*1\.00×\s+-\s+-$`, lines[2])
}

// The calm ratio keeps only the rounds in which both runs met at most
// calmSteal; the stolen ratio keeps the others.
func TestWriteTableCalmRounds(t *testing.T) {
	emu, serial := rounds(1100, 500, 1040, 600, 1200), rounds(1000, 1000, 1000, 1000, 1000)
	rows := []row{
		{server: "emulator", conns: 1, res: medianResult(emu), rounds: emu, steal: []float64{0.01, 0.30, 0, 0.02, 0.01}},
		{server: "serial", conns: 1, res: medianResult(serial), rounds: serial, steal: []float64{0, 0, 0.01, 0.25, 0.021}},
	}
	var out bytes.Buffer
	writeTable(&out, rows)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	// Rounds 1 and 3 are calm for both (ratios 1.10 and 1.04); round 2's
	// emulator run, round 4's and round 5's serial runs met steal (ratios
	// 0.50, 0.60 and 1.20).
	assert.Regexp(t, `^serve --quiet --no-dashboard\s+1\s+.*\s+1\.04×\s+1\.07× 2/5\s+0\.60× 3/5$`, lines[1])
	assert.Regexp(t, `^serial \(one at a time\)\s+1\s+.*1\.00×\s+1\.00× 3/5\s+1\.00× 2/5$`, lines[2])

	// No calm round at all: no calm ratio; every round met steal.
	rows[0].steal = []float64{0.5, 0.5, 0.5, 0.5, 0.5}
	out.Reset()
	writeTable(&out, rows)
	assert.Regexp(t, `(?m)^serve --quiet --no-dashboard\s+1\s+.*1\.04×\s+-\s+1\.04× 5/5$`, out.String())
}

func TestSameBytes(t *testing.T) {
	assert.Equal(t, "", sameBytes("x", []byte("abc"), []byte("abc")))
	assert.Equal(t, "x sends different bytes: 3 bytes instead of 4, first difference at byte 2", sameBytes("x", []byte("abd"), []byte("abcd")))
}

func TestBodyLength(t *testing.T) {
	assert.Equal(t, int64(len(devicePage)-len("HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n")), bodyLength([]byte(devicePage)))
	assert.Equal(t, int64(0), bodyLength([]byte("HTTP/1.0 200 OK\r\n")))
}

func TestWriteInterleaved(t *testing.T) {
	var out strings.Builder
	writeInterleaved(&out, []altRow{
		{server: "serve", mean: 180 * time.Microsecond, p50: 170 * time.Microsecond},
		{server: "serial", mean: 200 * time.Microsecond, p50: 190 * time.Microsecond, errors: 2},
		{server: "bare", errors: 5},
	}, 3000)
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 6)
	assert.Contains(t, lines[0], "one request to each server in turn, 3000 each")
	assert.Regexp(t, `^serve \(dashboard, log\)\s+180µs\s+170µs\s+5556\s+0\s+1\.11×$`, lines[3])
	assert.Regexp(t, `^serial \(one at a time\)\s+200µs\s+190µs\s+5000\s+2\s+1\.00×$`, lines[4])
	assert.Regexp(t, `^bare \(goroutines\)\s+-\s+-\s+-\s+5\s+-$`, lines[5], "no answer: no figures")
	writeInterleaved(&out, nil, 1) // nothing measured: nothing printed
	assert.Len(t, strings.Split(strings.TrimRight(out.String(), "\n"), "\n"), 6)
}
