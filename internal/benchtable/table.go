package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// row is one measured run.
type row struct {
	server string // key from allServers
	conns  int
	res    *loadgen.Result
	rss    int64 // bytes; 0 when unknown
}

// displayNames are the table's names for the servers.
var displayNames = map[string]string{
	"serve":    "serve (dashboard, log)",
	"emulator": "serve --quiet --no-dashboard",
	"nethttp":  "net/http",
	"serial":   "serial (one at a time)",
	"bare":     "bare (goroutines)",
	"upstream": "upstream (python3)",
}

// writeTable prints the rows with their ratios to net/http and to the
// serial server (the limit for one-at-a-time serving) at the same
// concurrency.
func writeTable(w io.Writer, rows []row) {
	base := map[string]map[int]float64{}
	for _, r := range rows {
		if r.server == "nethttp" || r.server == "serial" {
			if base[r.server] == nil {
				base[r.server] = map[int]float64{}
			}
			base[r.server][r.conns] = r.res.RequestsPerSec
		}
	}
	const format = "%-28s %5s %8s %8s %8s %6s %9s %11s %9s\n"
	fmt.Fprintf(w, format, "server", "conns", "req/s", "p50", "p99", "errors", "peak RSS", "vs net/http", "vs serial")
	for _, r := range rows {
		fmt.Fprintf(w, format, displayNames[r.server], strconv.Itoa(r.conns), fmt.Sprintf("%.0f", r.res.RequestsPerSec),
			fmtLatency(r.res.Latency.P50), fmtLatency(r.res.Latency.P99),
			strconv.FormatInt(r.res.Errors.Total(), 10), fmtRSS(r.rss),
			ratio(r.res.RequestsPerSec, base["nethttp"][r.conns]),
			ratio(r.res.RequestsPerSec, base["serial"][r.conns]))
	}
}

// ratio prints a/b as "0.42×", or "-" when b is unknown.
func ratio(a, b float64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// fmtLatency prints a latency in milliseconds with sensible precision.
func fmtLatency(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return fmt.Sprintf("%.2fms", ms)
	}
	return fmt.Sprintf("%.1fms", ms)
}

// fmtRSS prints bytes in MiB, or "?" when unknown.
func fmtRSS(b int64) string {
	if b <= 0 {
		return "?"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// writeNotes prints the notes under the table, one per line.
func writeNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintln(w, "  - "+strings.ReplaceAll(n, "\n", "\n    "))
	}
}
