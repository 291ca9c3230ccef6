package profile

import (
	"fmt"
	"math/rand/v2"
)

// race draws which connections win the accept race: on the real firmware
// lwIP sometimes hands a parked request over in the moment between
// upstream's accept() and its recv(), and recv then returns it although
// the socket has timeout 0. About 2% of connections did (4 of ~190 in a
// run of the suite; 1 of 50 with 1000-byte requests).
type race struct {
	rate float64
	rng  *rand.Rand
}

// newRace returns the draws for p's RaceWin and RaceSeed; nil when no
// connection can win, so the default costs nothing.
func newRace(p Params) *race {
	rate := p.withDefaults().RaceWin
	if rate == 0 {
		return nil
	}
	return &race{rate: rate, rng: rand.New(rand.NewPCG(p.RaceSeed, p.RaceSeed^0x9e3779b97f4a7c15))}
}

// won draws for the next connection accepted.
func (r *race) won() bool {
	if r == nil {
		return false
	}
	if r.rate >= 1 {
		return true
	}
	return r.rng.Float64() < r.rate
}

// CheckRaceRate reports whether rate can be a Params.RaceWin: a number
// from 0 to 1.
func CheckRaceRate(rate float64) error {
	if !(rate >= 0 && rate <= 1) {
		return fmt.Errorf("race rate %v is not between 0 and 1", rate)
	}
	return nil
}

// Races reports whether the profile loses requests to the accept race,
// which Params.RaceWin lets a connection win: the device's
// accept-timeout-0 rule, not the patched firmware's fix.
func (p *Profile) Races() bool {
	r, ok := p.rule(RuleAcceptTimeout0)
	return ok && !r.patched
}
