package conformance

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// fakeProfile is a ProfileReporter whose events a fake server adds.
type fakeProfile struct {
	mu  sync.Mutex
	all []ProfileEvent
}

func (f *fakeProfile) add(e ProfileEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all = append(f.all, e)
}

func (f *fakeProfile) ProfileEvents() []ProfileEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ProfileEvent(nil), f.all...)
}

// losing is a device that loses every request, the escape probe's too, and
// reports it (unless the request is the probe and reportProbe is false),
// with an event about another client and one about its listener.
func losing(p *fakeProfile, reportProbe bool) func(c *net.TCPConn) {
	return func(c *net.TCPConn) {
		req := testnet.ReadRequest(c)
		peer := c.RemoteAddr().String()
		if string(req) != probeRequest || reportProbe {
			p.add(ProfileEvent{Peer: "127.0.0.1:1", Rule: "send-buffer", Kind: "cut-response", Text: "someone else"})
			p.add(ProfileEvent{Peer: "-", Rule: "connection-limit", Kind: "wait", Text: "the listener waited"})
			p.add(ProfileEvent{Peer: peer, Rule: "accept-timeout-0", Kind: ProfileEventLost, Text: peer + " lost"})
		}
		_ = c.Close()
	}
}

// lostScenario expects GET /text answered on the host and lost on pico-w.
var lostScenario = scenariotest.Minimal + scenariotest.Lines(
	"[expect]",
	`status "HTTP/1.0 200 OK\r\n"`,
	"end fin",
	"[expect when pico-w]",
	`difference "lost"`,
	`raw ""`,
	"end fin rst",
)

func TestRunnerNamesTheProfileRulesBehindAResult(t *testing.T) {
	tests := []struct {
		name        string
		reportProbe bool
		status      Status
		failures    []string
	}{
		// The probe was lost, and the profile says so: the server took it,
		// so every earlier connection is done.
		{"probe lost by a rule", true, StatusDifference, nil},
		{"probe unanswered", false, StatusFail, []string{"probe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakeProfile{}
			addr := testnet.Serve(t, losing(p, tt.reportProbe))
			target := Target{Name: "dev", Addr: addr, Labels: []string{"pico-w"}, Escapes: newFakeEscapes(),
				KeepsServing: true, Profile: "pico-w", ProfileEvents: p}
			r := Runner{Timeout: time.Second}
			res := r.RunScenario(t.Context(), target, scenariotest.MustParse(t, "get/text", lostScenario))

			assert.Equal(t, tt.status, res.Status, "%v", res.Failures)
			var whats []string
			for _, f := range res.Failures {
				whats = append(whats, f.What)
			}
			assert.Equal(t, tt.failures, whats)
			// The scenario's connection and the listener, not the probe
			// nor another client.
			require.Len(t, res.Capture.Conns, 1)
			local := res.Capture.Conns[0].Local
			require.NotEmpty(t, local)
			assert.Equal(t, []ProfileEvent{
				{Peer: "-", Rule: "connection-limit", Kind: "wait", Text: "the listener waited"},
				{Peer: local, Rule: "accept-timeout-0", Kind: ProfileEventLost, Text: local + " lost"},
			}, res.ProfileEvents)
			assert.Equal(t, []string{"connection-limit", "accept-timeout-0"}, res.ProfileRules())
		})
	}
}

func TestRunnerRetriesWhatAProfilesTimingDecided(t *testing.T) {
	// The first attempt goes the rare way (a clean close where the
	// scenario expects the reset), the next the usual one.
	s := scenariotest.MustParse(t, "r/lost", scenariotest.Minimal+"[expect]\nraw \"\"\nend rst\n")
	tests := []struct {
		name    string
		profile ProfileReporter
		status  Status
		reasons []string
	}{
		{"under a profile", &fakeProfile{}, StatusPass, []string{"under a device profile timing may decide: [expect] line 9: end: expected the connection to end by rst, actual fin"}},
		{"on the host", nil, StatusFail, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			addr := testnet.Serve(t, func(c *net.TCPConn) {
				testnet.ReadRequest(c)
				if n.Add(1) > 1 {
					_ = c.SetLinger(0)
				}
				_ = c.Close()
			})
			r := Runner{Retry: RetryPolicy{Max: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}}
			target := Target{Name: "dev", Addr: addr}
			if tt.profile != nil {
				target.ProfileEvents = tt.profile
			}
			res := r.RunScenario(t.Context(), target, s)
			assert.Equal(t, tt.status, res.Status, "%v", res.Failures)
			assert.Equal(t, tt.reasons, res.RetryReasons)
		})
	}
}

func TestRunnerWithoutProfileHasNoEvents(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	var r Runner
	res := r.RunScenario(t.Context(), Target{Name: "host", Addr: addr}, scenariotest.MustParse(t, "get/text", scenariotest.TextScenario))
	assert.Equal(t, StatusPass, res.Status, "%v", res.Failures)
	assert.Nil(t, res.ProfileEvents)
	assert.Nil(t, res.ProfileRules())
}
