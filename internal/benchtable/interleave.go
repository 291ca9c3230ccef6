package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// interleavedPerSecond is how many requests per second of -duration each
// server gets in the interleaved measurement.
const interleavedPerSecond = 1500

// altRow is one server's figures in the interleaved measurement.
type altRow struct {
	server    string
	mean, p50 time.Duration
	errors    int
}

// interleave measures the pooled servers at 1 connection a second way: one
// client sends one request to each server in turn, so every server meets
// the same moments of the machine's load, and their mean latencies
// compare. Runs one after the other leave each server the load of its own
// seconds; here no server's run can be luckier than another's.
func (b *bench) interleave(ctx context.Context, pool []pooled) {
	n := max(int(b.opts.duration.Seconds()*interleavedPerSecond), 50)
	lat := make([][]time.Duration, len(pool))
	errs := make([]int, len(pool))
	for range n {
		for i, p := range pool {
			if ctx.Err() != nil {
				return
			}
			start := time.Now()
			if _, err := loadgen.Fetch(ctx, p.srv.addr, benchRequest, b.opts.timeout); err != nil {
				errs[i]++
				continue
			}
			lat[i] = append(lat[i], time.Since(start))
		}
	}
	b.altCount = n
	for i, p := range pool {
		r := altRow{server: p.name, errors: errs[i]}
		if l := lat[i]; len(l) > 0 {
			var sum time.Duration
			for _, d := range l {
				sum += d
			}
			slices.Sort(l)
			r.mean, r.p50 = sum/time.Duration(len(l)), l[len(l)/2]
		}
		b.alt = append(b.alt, r)
	}
}

// writeInterleaved prints the interleaved measurement, with each server's
// ratio to the serial limit (the ratio of the mean latencies).
func writeInterleaved(w io.Writer, rows []altRow, each int) {
	if len(rows) == 0 {
		return
	}
	var serial time.Duration
	for _, r := range rows {
		if r.server == "serial" {
			serial = r.mean
		}
	}
	fmt.Fprintf(w, "1 connection, one request to each server in turn, %d each, so that all meet the same moments of the machine's load:\n\n", each)
	const format = "%-28s %9s %9s %8s %6s %9s\n"
	fmt.Fprintf(w, format, "server", "mean", "p50", "req/s", "errors", "vs serial")
	for _, r := range rows {
		rate, vs := "-", "-"
		if r.mean > 0 {
			rate = strconv.FormatFloat(float64(time.Second)/float64(r.mean), 'f', 0, 64)
			if serial > 0 {
				vs = fmt.Sprintf("%.2f×", float64(serial)/float64(r.mean))
			}
		}
		fmt.Fprintf(w, format, displayNames[r.server], fmtMicros(r.mean), fmtMicros(r.p50), rate, strconv.Itoa(r.errors), vs)
	}
}

// fmtMicros prints d in microseconds, or "-" for none.
func fmtMicros(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
}
