package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// row is one measured run.
type row struct {
	server string // key from allServers
	conns  int
	res    *loadgen.Result   // the median round
	rounds []*loadgen.Result // every round, in order; nil means res alone
	rss    int64             // bytes; 0 when unknown
	// steal is each round's share of the machine's CPU time that the
	// hypervisor gave to other guests (see cpuTimes); nil when unknown.
	steal []float64
}

// calmSteal is the most steal a run may have met to count as calm.
const calmSteal = 0.02

// rps returns the req/s of each round; none for a row not measured.
func (r row) rps() []float64 {
	if r.res == nil {
		return nil
	}
	if len(r.rounds) == 0 {
		return []float64{r.res.RequestsPerSec}
	}
	out := make([]float64, len(r.rounds))
	for i, res := range r.rounds {
		out[i] = res.RequestsPerSec
	}
	return out
}

// spread is half the range of the rounds' req/s, relative to the median.
func (r row) spread() string {
	xs := r.rps()
	if len(xs) < 2 || r.res.RequestsPerSec <= 0 {
		return "-"
	}
	return fmt.Sprintf("±%.0f%%", 50*(slices.Max(xs)-slices.Min(xs))/r.res.RequestsPerSec)
}

// displayNames are the table's names for the servers.
var displayNames = map[string]string{
	"serve":             "serve (dashboard, log)",
	"emulator":          "serve --quiet --no-dashboard",
	"nethttp":           "net/http",
	"serial":            "serial (one at a time)",
	"serial-blocking":   "serial, blocking calls",
	"serial-sysbacklog": "serial, system backlog",
	"bare":              "bare (goroutines)",
	"upstream":          "upstream (python3)",
}

// writeTable prints the rows with their ratios to net/http and to the
// serial server (the limit for one-at-a-time serving) at the same
// concurrency.
func writeTable(w io.Writer, rows []row) {
	base := map[string]map[int]row{}
	for _, r := range rows {
		if r.server == "nethttp" || r.server == "serial" {
			if base[r.server] == nil {
				base[r.server] = map[int]row{}
			}
			base[r.server][r.conns] = r
		}
	}
	const format = "%-28s %5s %8s %6s %8s %8s %6s %9s %11s %9s %14s %16s\n"
	fmt.Fprintf(w, format, "server", "conns", "req/s", "spread", "p50", "p99", "errors", "peak RSS", "vs net/http", "vs serial",
		"calm vs serial", "stolen vs serial")
	for _, r := range rows {
		nethttp, serial := base["nethttp"][r.conns], base["serial"][r.conns] // unmeasured: no rounds
		fmt.Fprintf(w, format, displayNames[r.server], strconv.Itoa(r.conns), fmt.Sprintf("%.0f", r.res.RequestsPerSec), r.spread(),
			fmtLatency(r.res.Latency.P50), fmtLatency(r.res.Latency.P99),
			strconv.FormatInt(r.res.Errors.Total(), 10), fmtRSS(r.rss),
			ratio(r.rps(), nethttp.rps()), ratio(r.rps(), serial.rps()), stealRatio(r, serial, true), stealRatio(r, serial, false))
	}
}

// stealRatio prints the median ratio of r to base over the calm rounds,
// in which both runs met at most calmSteal, or (calm false) over the
// others, with how many rounds those were: "1.04× 5/9". A burst of steal
// costs a 1-connection run far more than its share of the CPU (every
// wake-up of an idle virtual CPU waits for the hypervisor), so the calm
// rounds compare the servers rather than the host's other guests, and the
// others show which server holds up when the host is busy. "-" when steal
// is unknown or no round qualifies.
func stealRatio(r, base row, calm bool) string {
	a, b := r.rps(), base.rps()
	n := min(len(a), len(b), len(r.steal), len(base.steal))
	var rs []float64
	for i := range n {
		if (r.steal[i] <= calmSteal && base.steal[i] <= calmSteal) == calm && b[i] > 0 {
			rs = append(rs, a[i]/b[i])
		}
	}
	if len(rs) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f× %d/%d", median(rs), len(rs), len(a))
}

// ratio prints the median of the rounds' ratios a[i]/b[i] as "0.42×", or
// "-" when b is unknown.
func ratio(a, b []float64) string {
	var rs []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			rs = append(rs, a[i]/b[i])
		}
	}
	if len(rs) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", median(rs))
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
