package conformancetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
)

// suiteConfig is what Options set for Run.
type suiteConfig struct {
	scenarios []*scenario.Scenario
	pattern   string
	runner    conformance.Runner
}

// Option configures Run.
type Option func(*suiteConfig)

// WithScenarios runs these scenarios instead of the embedded default set.
func WithScenarios(s []*scenario.Scenario) Option { return func(c *suiteConfig) { c.scenarios = s } }

// WithPattern runs only the scenarios whose ID matches the regular
// expression (as scenario.Select does).
func WithPattern(p string) Option { return func(c *suiteConfig) { c.pattern = p } }

// WithTimeout sets the idle timeout for scenarios that set none.
func WithTimeout(d time.Duration) Option { return func(c *suiteConfig) { c.runner.Timeout = d } }

// WithScenarioTimeout sets the deadline of each attempt of a scenario,
// steps and reads together (conformance.DefaultScenarioTimeout otherwise).
func WithScenarioTimeout(d time.Duration) Option {
	return func(c *suiteConfig) { c.runner.ScenarioTimeout = d }
}

// Retry is the retry policy Run uses unless WithRetry sets another: more
// attempts than the CLI's conformance.DefaultRetry, over a longer span. A
// go test runs its target beside the runner on a machine that other
// packages' tests keep busy, and a runner descheduled for a millisecond
// between a scenario's send and its reset lets an in-process server answer
// first (robust/request-then-reset: "answered where the request should
// have been lost"); such a spell of load can outlast two retries 300ms
// apart. Every retry is still logged with its reason, and only the
// timing-decided failures RetryPolicy.Reason names are retried (any
// failure under a device profile): a target that fails every attempt
// still fails.
var Retry = conformance.RetryPolicy{Max: 8, Backoff: 50 * time.Millisecond, MaxBackoff: time.Second}

// WithRetry sets the retry policy (Retry otherwise).
func WithRetry(p conformance.RetryPolicy) Option { return func(c *suiteConfig) { c.runner.Retry = p } }

// Run is the conformance suite for go test, in the manner of
// golang.org/x/net/nettest's TestConn: an implementation's test calls it
// with a factory for its target. newTarget is called once, before any
// scenario; it registers its own cleanup with t.Cleanup (stopping a
// process, closing a listener). Each scenario then runs, one at a time, as
// a subtest named by its ID, so `go test -run 'Suite/get/'` selects by ID.
// A failing scenario reports each failed expectation with its expected and
// actual bytes; an expected difference passes and logs which.
func Run(t *testing.T, newTarget func(t *testing.T) conformance.Target, opts ...Option) {
	t.Helper()
	cfg := suiteConfig{runner: conformance.Runner{Retry: Retry}}
	for _, o := range opts {
		o(&cfg)
	}
	scenarios := cfg.scenarios
	if scenarios == nil {
		var err error
		if scenarios, err = scenario.Default(); err != nil {
			t.Fatalf("loading the embedded scenarios: %v", err)
		}
	}
	scenarios, err := scenario.Select(scenarios, cfg.pattern)
	if err != nil {
		t.Fatal(err)
	}
	target := newTarget(t)
	if err := target.Check(); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, s := range scenarios {
		t.Run(s.ID, func(t *testing.T) {
			runOne(ctx, t, &cfg.runner, target, s)
		})
	}
}

// runOne runs one scenario as a subtest and reports its outcome.
func runOne(ctx context.Context, t *testing.T, r *conformance.Runner, target conformance.Target, s *scenario.Scenario) {
	res := r.RunScenario(ctx, target, s)
	for i, reason := range res.RetryReasons {
		t.Logf("retry %d: %s", i+1, reason)
	}
	for _, n := range res.Notes {
		t.Log(n)
	}
	switch res.Status {
	case conformance.StatusSkip:
		t.Skip(strings.Join(res.Notes, "; "))
	case conformance.StatusDifference:
		t.Logf("expected difference: %s", strings.Join(res.Differences, "; "))
	case conformance.StatusFail:
		t.Errorf("%s: %s", s.ID, s.Description)
		for _, f := range res.Failures {
			t.Error(f.Explain())
		}
	}
}
