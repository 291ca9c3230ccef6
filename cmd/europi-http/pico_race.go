package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/europi-http/europi-http/emulator/profile"
)

// picoRace holds --pico-race and --pico-race-seed: how often a pico-w
// connection wins the accept race, and the seed of the draws.
type picoRace struct {
	Rate float64
	Seed uint64
	// Set records that either flag was given.
	Set bool
}

// addPicoRaceFlags adds --pico-race and --pico-race-seed to cmd.
func addPicoRaceFlags(cmd *cobra.Command, r *picoRace) {
	f := cmd.Flags()
	f.Float64Var(&r.Rate, "pico-race", 0, "chance `RATE` (0 to 1) that lwIP hands a pico-w request over between accept() and recv(), so it is answered instead of lost (the real firmware: about 0.02; 1 answers every one)")
	f.Uint64Var(&r.Seed, "pico-race-seed", 0, "`SEED` of the --pico-race draws, so a rate between 0 and 1 wins on the same connections every run")
}

// changed records whether cmd was given either flag.
func (r *picoRace) changed(cmd *cobra.Command) {
	r.Set = cmd.Flags().Changed("pico-race") || cmd.Flags().Changed("pico-race-seed")
}

// apply sets the race on every profile that has it, and refuses a bad
// rate or one given to profiles that have no race.
func (r picoRace) apply(profs ...*profile.Profile) error {
	if !r.Set {
		return nil
	}
	if err := profile.CheckRaceRate(r.Rate); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--pico-race: %w", err)}
	}
	var names []string
	racing := 0
	for _, p := range profs {
		names = append(names, p.Label())
		if p.Races() {
			p.Params.RaceWin, p.Params.RaceSeed = r.Rate, r.Seed
			racing++
		}
	}
	if racing == 0 {
		return &exitError{code: 2, err: fmt.Errorf("--pico-race applies to the pico-w profile's accept-timeout-0 rule, which %s lacks", strings.Join(names, ", "))}
	}
	return nil
}
