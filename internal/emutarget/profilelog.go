package emutarget

import (
	"sync"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/emulator/profile"
)

// profileLog keeps what a device profile's rules did to the emulator's
// connections, as the conformance package's plain events, so each result
// can name the rules behind its difference.
type profileLog struct {
	mu  sync.Mutex
	all []conformance.ProfileEvent
}

// record is the profile's event callback.
func (l *profileLog) record(e profile.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, conformance.ProfileEvent{Peer: e.Peer, Rule: e.Rule, Kind: string(e.Kind), Text: e.String()})
}

// ProfileEvents returns every event so far.
func (l *profileLog) ProfileEvents() []conformance.ProfileEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]conformance.ProfileEvent(nil), l.all...)
}
