package main

import (
	"fmt"

	"github.com/europi-http/europi-http/emulator/profile"
)

// conformProfiles resolves --profile, --without and --pico-race: one
// profile per name, host when none is given.
func conformProfiles(names, without []string, race picoRace) ([]*profile.Profile, error) {
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
	if err := race.apply(out...); err != nil {
		return nil, err
	}
	return out, nil
}
