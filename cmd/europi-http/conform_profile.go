package main

import (
	"fmt"
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

// conformProfiles resolves --profile and --without: one profile per name,
// host when none is given.
func conformProfiles(names, without []string) ([]*profile.Profile, error) {
	if len(names) == 0 {
		names = []string{profile.Host}
	}
	var out []*profile.Profile
	for _, name := range names {
		p, err := lookupProfile(name, without)
		if err != nil {
			return nil, fmt.Errorf("--profile %s: %w", name, err)
		}
		for _, q := range out {
			if q.Name == p.Name {
				return nil, fmt.Errorf("--profile %s given twice", p.Name)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// emulatorName names the emulator target under a profile: "emulator" on
// the host, "emulator/pico-w" under a device profile, so a run under
// several profiles keeps its columns apart.
func emulatorName(p *profile.Profile) string {
	if p == nil || p.Name == profile.Host {
		return "emulator"
	}
	return "emulator/" + p.Name
}

// profileLabels adds a device profile's name to a target's labels, last so
// that the scenarios' `when pico-w` overrides win over the runtime's.
func profileLabels(labels []string, p *profile.Profile) []string {
	if p == nil || p.Name == profile.Host {
		return labels
	}
	return append(labels, p.Name)
}
