package conformance

import (
	"context"
	"fmt"
	"net"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// Target is an implementation under test: an address serving the fixture's
// routes, and what is known about it.
type Target struct {
	// Name identifies the target in reports and the matrix, such as
	// "emulator" or "upstream-python3".
	Name string
	// Addr is the TCP address, "HOST:PORT".
	Addr string
	// Labels select the override sections that apply, least specific
	// first: ["upstream", "cpython"], ["micropython", "pico-w"]. Later
	// labels win where two overrides state the same group.
	Labels []string
	// Escapes, when set, reports exceptions that escaped check_requests():
	// those that would end the device script. A bare device address cannot
	// report them, and scenarios' [device] sections are then skipped.
	Escapes EscapeReporter
	// KeepsServing says the target serves on after an exception escapes
	// check_requests() (the emulator does; a device's script dies). A
	// scenario that would stop the device script runs on a target that
	// reports escapes or keeps serving, and is skipped on any other.
	KeepsServing bool
	// Profile names the device profile the target runs under, such as
	// "pico-w" or "pico-w without send-buffer"; "" for none.
	Profile string
	// ProfileEvents, when set, reports what the target's device profile
	// changed on each connection, so a result can name the rules behind
	// a difference.
	ProfileEvents ProfileReporter
	// Panel, when set, sets the panel inputs of a scenario's [inputs]
	// section before each attempt of it. A target without a panel (a
	// device, upstream) leaves it nil and so ignores the section.
	Panel PanelSetter
}

// PanelSetter is a target whose panel inputs can be set from outside, as
// internal/emutarget's emulator does.
type PanelSetter interface {
	// SetInputs sets every input given, or none and says why.
	SetInputs(inputs []scenario.Input) error
}

// EscapeReporter is a target that knows when the device script would have
// died. internal/upstream's Process implements it.
type EscapeReporter interface {
	// Escapes returns every escape so far, oldest first.
	Escapes() []string
	// WaitEscapes waits until at least n escapes happened in total and
	// returns them all.
	WaitEscapes(ctx context.Context, n int) ([]string, error)
}

// Check reports a target that cannot be run: no name, an address that is
// not HOST:PORT, or a label that overrides could never name.
func (t Target) Check() error {
	if t.Name == "" {
		return fmt.Errorf("target %s has no name", t.Addr)
	}
	if _, _, err := net.SplitHostPort(t.Addr); err != nil {
		return fmt.Errorf("target %s: address %q: %w", t.Name, t.Addr, err)
	}
	for _, l := range t.Labels {
		if err := scenario.CheckLabel(l); err != nil {
			return fmt.Errorf("target %s: %w", t.Name, err)
		}
	}
	return nil
}
