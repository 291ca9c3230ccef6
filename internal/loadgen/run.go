package loadgen

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Run sends cfg's request to cfg's address from cfg.Connections workers at
// once, one connection per request, until the duration ends or the count is
// reached, and returns what it measured. Cancelling ctx ends the run early;
// the result then covers what was done. Run returns an error only for a bad
// Config: failed requests are counted in the Result, never retried.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	r := &runner{cfg: &cfg, start: time.Now()}
	stopProgress := r.startProgress()
	var wg sync.WaitGroup
	for range cfg.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx)
		}()
	}
	wg.Wait()
	elapsed := time.Since(r.start)
	stopProgress(elapsed)
	return r.result(elapsed), nil
}

// runner holds a run's shared state.
type runner struct {
	cfg   *Config
	start time.Time
	hist  histogram
	taken atomic.Int64 // requests started, in count mode
	ok    atomic.Int64
	errs  atomic.Int64

	mu         sync.Mutex
	errors     ErrorCounts
	samples    map[ErrorKind]string
	statuses   map[string]int64
	bytes      int64
	unfinished int64
}

// work makes requests until the run ends.
func (r *runner) work(ctx context.Context) {
	x := newExchanger(r.cfg)
	for ctx.Err() == nil {
		if r.cfg.Requests > 0 && r.taken.Add(1) > r.cfg.Requests {
			return
		}
		r.add(x.do(ctx))
	}
}

// add counts one request's outcome.
func (r *runner) add(o outcome) {
	switch {
	case o.unfinished:
	case o.kind == "":
		r.hist.record(o.latency)
		r.ok.Add(1)
	default:
		r.errs.Add(1)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bytes += o.bytes
	switch {
	case o.unfinished:
		r.unfinished++
	case o.kind == "":
		if r.statuses == nil {
			r.statuses = map[string]int64{}
		}
		key := "invalid"
		if o.status != 0 {
			key = strconv.Itoa(o.status)
		}
		r.statuses[key]++
	default:
		r.errors.add(o.kind)
		if r.samples == nil {
			r.samples = map[ErrorKind]string{}
		}
		if _, seen := r.samples[o.kind]; !seen && o.err != nil {
			r.samples[o.kind] = o.err.Error()
		}
	}
}

// startProgress calls cfg.Progress every interval until the returned
// function is called, which makes the final call.
func (r *runner) startProgress() func(elapsed time.Duration) {
	if r.cfg.Progress == nil {
		return func(time.Duration) {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	var lastOK int64
	var lastAt time.Duration
	snapshot := func(elapsed time.Duration, final bool) Progress {
		ok := r.ok.Load()
		p := Progress{Elapsed: elapsed, OK: ok, Errors: r.errs.Load(), Final: final}
		if span := elapsed - lastAt; span > 0 {
			p.Rate = float64(ok-lastOK) / span.Seconds()
		}
		lastOK, lastAt = ok, elapsed
		return p
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(r.cfg.ProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				r.cfg.Progress(snapshot(time.Since(r.start), false))
			}
		}
	}()
	return func(elapsed time.Duration) {
		close(done)
		<-finished
		// The final snapshot's rate covers the whole run.
		lastOK, lastAt = 0, 0
		r.cfg.Progress(snapshot(elapsed, true))
	}
}

// result builds the Result once every worker has stopped.
func (r *runner) result(elapsed time.Duration) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := &Result{
		Addr:         r.cfg.Addr,
		Connections:  r.cfg.Connections,
		Elapsed:      elapsed,
		OK:           r.ok.Load(),
		Unfinished:   r.unfinished,
		Bytes:        r.bytes,
		Latency:      r.hist.latency(),
		Errors:       r.errors,
		ErrorSamples: r.samples,
		Statuses:     r.statuses,
	}
	if res.Statuses == nil {
		res.Statuses = map[string]int64{}
	}
	res.Requests = res.OK + res.Errors.Total()
	if elapsed > 0 {
		res.RequestsPerSec = float64(res.OK) / elapsed.Seconds()
	}
	return res
}
