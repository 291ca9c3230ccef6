package profile

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The profiles' names.
const (
	// Host is the default profile: no rules, the host kernel's TCP.
	Host = "host"
	// PicoW is a Pico W running MicroPython v1.25.0's lwIP socket layer.
	PicoW = "pico-w"
	// PicoWPatched is PicoW running a fixed http_server.py.
	PicoWPatched = "pico-w-patched"
)

// The rules' names, as Profile.Without and the CLI's --without take them.
const (
	// RuleAcceptTimeout0 names the rule that the accepted socket has
	// timeout 0, so recv raises EAGAIN when nothing was handed over yet
	// (unless the accept race is won: Params.RaceWin).
	RuleAcceptTimeout0 = "accept-timeout-0"
	// RuleParkUntilTick names the rule that data arriving before accept is
	// handed over at lwIP's next timer tick or with the next segment.
	RuleParkUntilTick = "park-until-tick"
	// RuleOneSegmentRead names the rule that recv returns at most one TCP
	// segment (MSS 800).
	RuleOneSegmentRead = "one-segment-read"
	// RuleSendBuffer names the rule that a send that does not fit in lwIP's
	// memory raises ENOMEM and sends nothing.
	RuleSendBuffer = "send-buffer"
	// RuleConnectionLimit names the rule that at most 5 TCP connections
	// exist at once.
	RuleConnectionLimit = "connection-limit"
	// RuleRSTOnUnreadClose names the rule that a close with unread input
	// sends a reset.
	RuleRSTOnUnreadClose = "rst-on-unread-close"
)

// Params are the numbers the rules use. A zero field means its default, the
// value read from MicroPython v1.25.0 and lwIP's defaults.
type Params struct {
	// Tick is lwIP's TCP timer period (TCP_TMR_INTERVAL): parked data is
	// handed over at the first tick after accept. Ticks run from the moment
	// the listener is wrapped. Default 250 ms; unconfirmed on hardware.
	Tick time.Duration
	// MSS is the largest segment the device accepts (TCP_MSS). Default 800.
	MSS int
	// SendBuffer is the send buffer (TCP_SND_BUF): one send queues at most
	// its free part. Default 6400.
	SendBuffer int
	// SendHeap is how much of lwIP's heap (MEM_SIZE 8000) one connection's
	// unacknowledged send data may take, each segment with SegmentCost
	// bytes of overhead. Default 6600: on the real firmware a send of 5600
	// bytes (6146 with overhead) fitted on a fresh connection and one of
	// 6400 (7024) did not, so the limit lies between.
	SendHeap int
	// SegmentCost is the heap a queued segment takes besides its data: the
	// heap's own header, struct pbuf, and room for the TCP, IP and link
	// headers. Default 78.
	SegmentCost int
	// SendRetry is how long a send that does not fit keeps retrying before
	// it raises ENOMEM: lwip_tcp_send tries tcp_write 200 times, 50 ms
	// apart. A client's reset ends it sooner. Default 10 s.
	SendRetry time.Duration
	// RaceWin is the chance, from 0 to 1, that lwIP hands a connection's
	// parked request over between upstream's accept() and its recv(), so
	// accept-timeout-0 does not lose it. On the real firmware about 2% of
	// connections won. Default 0: every request that was parked is lost,
	// so runs are reproducible; the CLI's --pico-race sets it.
	RaceWin float64
	// RaceSeed seeds the draws of RaceWin, so a run with a rate between 0
	// and 1 is reproducible: the n-th connection accepted wins or loses
	// the same way every time.
	RaceSeed uint64
	// RaceWindow is how long a won race lets recv wait for the request's
	// first segment when none had arrived at accept: on loopback the
	// client's bytes may still be on their way, on a device they came
	// just in time. A client that sends nothing within it is lost as
	// before. Default 50 ms.
	RaceWindow time.Duration
	// RecvWindow is the receive window (TCP_WND): at most this many bytes
	// are queued unread per connection. Default 6400.
	RecvWindow int
	// MaxConns is how many TCP connections may exist at once
	// (MEMP_NUM_TCP_PCB). Default 5.
	MaxConns int
	// RecvTimeout is the patched firmware's timeout on the accepted socket,
	// so a client that never sends cannot stall the loop. Default 1 s.
	RecvTimeout time.Duration
	// DrainTimeout is how long a connection closed cleanly with unread
	// input (rst-on-unread-close off) keeps discarding what the client
	// still sends before it is closed for good. Default 1 s.
	DrainTimeout time.Duration
}

// Defaults for Params.
const (
	// DefaultTick is lwIP's TCP_TMR_INTERVAL.
	DefaultTick = 250 * time.Millisecond
	// DefaultMSS is the TCP_MSS MicroPython configures.
	DefaultMSS = 800
	// DefaultSendBuffer is TCP_SND_BUF, 8 * TCP_MSS.
	DefaultSendBuffer = 8 * DefaultMSS
	// DefaultSendHeap lies between what fitted (5600 bytes of data) and
	// what did not (6400) on the real firmware, with DefaultSegmentCost.
	DefaultSendHeap = 6600
	// DefaultSegmentCost is lwIP's per-segment overhead on the heap with
	// MEM_ALIGNMENT 4: an 8-byte heap header, a 16-byte struct pbuf, and
	// 54 bytes reserved for the TCP (20), IP (20) and link (14) headers.
	DefaultSegmentCost = 8 + 16 + 54
	// DefaultRaceWindow is long enough for a loopback client's first
	// segment, short enough not to stall the loop for a silent one.
	DefaultRaceWindow = 50 * time.Millisecond
	// DefaultSendRetry is lwip_tcp_send's retry loop: 200 tries 50 ms apart.
	DefaultSendRetry = 200 * 50 * time.Millisecond
	// DefaultRecvWindow is TCP_WND, 8 * TCP_MSS.
	DefaultRecvWindow = 8 * DefaultMSS
	// DefaultMaxConns is lwIP's default MEMP_NUM_TCP_PCB.
	DefaultMaxConns = 5
	// DefaultRecvTimeout is the timeout the patched firmware sets on the
	// accepted socket: long enough for the 250 ms handover, short enough
	// that a browser's idle preconnection does not stall the loop for long.
	DefaultRecvTimeout = time.Second
	// DefaultDrainTimeout bounds the discarding of late input after a
	// clean close.
	DefaultDrainTimeout = time.Second
)

// withDefaults returns p with every zero or negative field replaced by its
// default, so a wrapped listener never divides by zero or waits forever.
func (p Params) withDefaults() Params {
	if p.Tick <= 0 {
		p.Tick = DefaultTick
	}
	if p.MSS <= 0 {
		p.MSS = DefaultMSS
	}
	if p.SendBuffer <= 0 {
		p.SendBuffer = DefaultSendBuffer
	}
	if p.SendHeap <= 0 {
		p.SendHeap = DefaultSendHeap
	}
	if p.SegmentCost <= 0 {
		p.SegmentCost = DefaultSegmentCost
	}
	if p.SendRetry <= 0 {
		p.SendRetry = DefaultSendRetry
	}
	if p.RaceWindow <= 0 {
		p.RaceWindow = DefaultRaceWindow
	}
	if !(p.RaceWin > 0) { // NaN too
		p.RaceWin = 0
	}
	p.RaceWin = min(p.RaceWin, 1)
	if p.RecvWindow <= 0 {
		p.RecvWindow = DefaultRecvWindow
	}
	if p.MaxConns <= 0 {
		p.MaxConns = DefaultMaxConns
	}
	if p.RecvTimeout <= 0 {
		p.RecvTimeout = DefaultRecvTimeout
	}
	if p.DrainTimeout <= 0 {
		p.DrainTimeout = DefaultDrainTimeout
	}
	return p
}

// Rule is one named, documented difference between a profile and the host.
type Rule struct {
	// Name is the rule's short name, as --without takes it.
	Name string
	// Summary is one sentence saying what the rule does.
	Summary string
	// patched marks the behaviour of upstream's fixed code rather than
	// the device's.
	patched bool
}

// Profile is a named set of rules that Wrap applies to a listener. Lookup
// returns a fresh copy, so changing its Params affects no one else.
type Profile struct {
	// Name is the profile's name, as --profile takes it.
	Name string
	// Summary is one sentence saying what the profile stands for.
	Summary string
	// Rules are the rules in effect, in the order they are listed.
	Rules []Rule
	// Off lists the rules Without turned off.
	Off []string
	// Params are the numbers the rules use.
	Params Params
}

var deviceRules = []Rule{
	{Name: RuleAcceptTimeout0, Summary: "The accepted socket inherits timeout 0, so recv raises EAGAIN if lwIP has not handed the request over yet and upstream closes without a response; about 2% of connections win the race (--pico-race)."},
	{Name: RuleParkUntilTick, Summary: "Data that arrives before accept is parked by lwIP and handed over only at its next 250 ms timer tick or with the next segment."},
	{Name: RuleOneSegmentRead, Summary: "A recv(1024) returns at most one TCP segment, and the device's MSS is 800 bytes."},
	{Name: RuleSendBuffer, Summary: "A send that does not fit in lwIP's 8000-byte heap (5600 bytes fit on a fresh connection, 6400 do not) retries for 10 s, raises ENOMEM and sends nothing; upstream returns and closes, so the client gets the header block alone."},
	{Name: RuleConnectionLimit, Summary: "At most 5 TCP connections exist at once; a further client's SYN is dropped and it waits."},
	{Name: RuleRSTOnUnreadClose, Summary: "A close with unread input sends a reset instead of a clean close (as Linux does)."},
}

var patchedRules = map[string]Rule{
	RuleAcceptTimeout0: {Name: RuleAcceptTimeout0, patched: true, Summary: "Fixed: the accepted socket gets a 1 s timeout, so recv waits for lwIP to hand the request over."},
	RuleOneSegmentRead: {Name: RuleOneSegmentRead, patched: true, Summary: "Fixed: recv is repeated until the blank line and Content-Length bytes of body have arrived."},
	RuleSendBuffer:     {Name: RuleSendBuffer, patched: true, Summary: "Fixed: the response is sent in pieces that fit, each repeated until written, until all of it is."},
}

// catalog builds every profile afresh.
func catalog() []*Profile {
	patched := make([]Rule, len(deviceRules))
	for i, r := range deviceRules {
		if p, ok := patchedRules[r.Name]; ok {
			r = p
		}
		patched[i] = r
	}
	return []*Profile{
		{Name: Host, Summary: "Upstream as CPython or the unix port runs it: a blocking accepted socket on the host's TCP; no rules (the default)."},
		{Name: PicoW, Summary: "A Pico W running MicroPython v1.25.0's lwIP sockets, read from extmod/modlwip.c and checked on the real firmware over PPP (not yet over Wi-Fi).",
			Rules: slices.Clone(deviceRules)},
		{Name: PicoWPatched, Summary: "The pico-w profile running an http_server.py fixed to time out the accepted socket, read until the request is complete and send until all is written.",
			Rules: patched},
	}
}

// All returns every profile with all its rules, for listing.
func All() []*Profile { return catalog() }

// Names returns every profile's name.
func Names() []string {
	var names []string
	for _, p := range catalog() {
		names = append(names, p.Name)
	}
	return names
}

// Lookup returns a fresh copy of the profile called name; an empty name is
// Host. An unknown name is an error that lists the valid ones.
func Lookup(name string) (*Profile, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		name = Host
	}
	for _, p := range catalog() {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("unknown profile %q; the profiles are %s", name, strings.Join(Names(), ", "))
}

// Without returns a copy of p with the named rules turned off. Each
// argument may hold several names separated by commas. A name p does not
// have is an error that lists the rules it has.
func (p *Profile) Without(rules ...string) (*Profile, error) {
	q := *p
	q.Rules = slices.Clone(p.Rules)
	q.Off = slices.Clone(p.Off)
	for _, arg := range rules {
		for name := range strings.SplitSeq(arg, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				return nil, fmt.Errorf("empty rule name in --without %q", arg)
			}
			if slices.Contains(q.Off, name) {
				continue
			}
			i := slices.IndexFunc(q.Rules, func(r Rule) bool { return r.Name == name })
			if i < 0 {
				return nil, p.unknownRule(name)
			}
			q.Rules = slices.Delete(q.Rules, i, i+1)
			q.Off = append(q.Off, name)
		}
	}
	return &q, nil
}

func (p *Profile) unknownRule(name string) error {
	if len(p.Rules)+len(p.Off) == 0 {
		return fmt.Errorf("profile %s has no rules to turn off (asked for %q)", p.Name, name)
	}
	var names []string
	for _, r := range p.Rules {
		names = append(names, r.Name)
	}
	names = append(names, p.Off...)
	return fmt.Errorf("profile %s has no rule %q; its rules are %s", p.Name, name, strings.Join(names, ", "))
}

// Label names the profile and the rules turned off, for log lines:
// "pico-w" or "pico-w without send-buffer, connection-limit".
func (p *Profile) Label() string {
	if len(p.Off) == 0 {
		return p.Name
	}
	return p.Name + " without " + strings.Join(p.Off, ", ")
}

// rule returns the rule called name if it is in effect.
func (p *Profile) rule(name string) (Rule, bool) {
	for _, r := range p.Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}
