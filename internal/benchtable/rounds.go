package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/europi-http/europi-http/internal/loadgen"
)

// pooled is a started server waiting to be measured.
type pooled struct {
	name string
	srv  *running
}

// add checks a started server's first answer and pools it for
// measurePool. startErr, when set, says why it could not start.
func (b *bench) add(name string, srv *running, first, ref []byte, startErr error) {
	if startErr != nil {
		b.notes = append(b.notes, displayNames[name]+" skipped: "+startErr.Error())
		return
	}
	if b.expect == 0 {
		b.expect = bodyLength(ref)
	}
	if note := sameBytes(displayNames[name], first, ref); note != "" {
		b.notes = append(b.notes, note)
	}
	b.pool = append(b.pool, pooled{name, srv})
}

// measurePool warms every pooled server up, then measures them in rounds:
// each round runs the load at each concurrency against each server, one
// after the other, so a change in the machine's load spreads over all of
// them instead of landing on one. Every other round goes through the
// servers backwards, so a load that rises or falls through the run
// favours none of them. It then reads their peak RSS, stops them and adds
// their rows.
func (b *bench) measurePool(ctx context.Context) {
	pool := b.pool
	b.pool = nil
	defer func() {
		for _, p := range pool {
			if err := p.srv.stop(); err != nil {
				b.notes = append(b.notes, displayNames[p.name]+": stopping: "+err.Error())
			}
		}
	}()
	// Warm up at the highest concurrency: caches, the Go runtime's heap,
	// python's imports.
	warm := min(time.Second, b.opts.duration/5)
	for _, p := range pool {
		_, _ = loadgen.Run(ctx, b.config(p.srv.addr, slices.Max(b.opts.conns), warm))
	}
	results := map[string]map[int][]*loadgen.Result{}
	steals := map[string]map[int][]float64{}
	for round := range b.opts.rounds {
		order := slices.Clone(pool)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		// Concurrency outside, servers inside: the runs a ratio compares
		// follow each other closely.
		for _, conns := range b.opts.conns {
			for _, p := range order {
				if ctx.Err() != nil {
					return
				}
				before, known := readCPUTimes()
				res, err := loadgen.Run(ctx, b.config(p.srv.addr, conns, b.opts.duration))
				after, ok := readCPUTimes()
				known = known && ok
				var steal cpuTimes
				if known {
					steal.add(before, after)
					b.steal.add(before, after)
				}
				if err != nil {
					b.notes = append(b.notes, fmt.Sprintf("%s at %d: %v", displayNames[p.name], conns, err))
					continue
				}
				if results[p.name] == nil {
					results[p.name] = map[int][]*loadgen.Result{}
				}
				results[p.name][conns] = append(results[p.name][conns], res)
				stolen := ""
				if known {
					share := steal.stealShare()
					if steals[p.name] == nil {
						steals[p.name] = map[int][]float64{}
					}
					steals[p.name][conns] = append(steals[p.name][conns], share)
					stolen = fmt.Sprintf("  %4.1f%% stolen", 100*share)
				}
				fmt.Fprintf(b.errOut, "benchtable: round %d/%d %-28s %3d conns  %8.0f req/s  %d errors%s\n",
					round+1, b.opts.rounds, displayNames[p.name], conns, res.RequestsPerSec, res.Errors.Total(), stolen)
				for kind, sample := range res.ErrorSamples {
					b.notes = append(b.notes, fmt.Sprintf("%s at %d: %d %s, first: %s", displayNames[p.name], conns, res.Errors.Get(kind), kind, sample))
				}
			}
		}
	}
	if slices.Contains(b.opts.conns, 1) && len(pool) > 1 {
		fmt.Fprintf(b.errOut, "benchtable: 1 connection, one request to each of %d servers in turn\n", len(pool))
		b.interleave(ctx, pool)
	}
	for _, p := range pool {
		rss, err := peakRSS(p.srv.pid)
		if err != nil {
			b.notes = append(b.notes, fmt.Sprintf("%s: peak RSS unknown: %v", displayNames[p.name], err))
		}
		for _, conns := range b.opts.conns {
			if rounds := results[p.name][conns]; len(rounds) > 0 {
				b.rows = append(b.rows, row{server: p.name, conns: conns, res: medianResult(rounds), rounds: rounds, rss: rss,
					steal: steals[p.name][conns]})
			}
		}
	}
}

// medianResult returns the round with the median req/s (the lower of the
// two middle ones for an even count).
func medianResult(rounds []*loadgen.Result) *loadgen.Result {
	sorted := slices.Clone(rounds)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].RequestsPerSec < sorted[j].RequestsPerSec })
	return sorted[(len(sorted)-1)/2]
}

// median returns the median of xs (the mean of the two middle ones for an
// even count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
