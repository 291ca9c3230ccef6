package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator/profile"
)

func TestProfilesArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ProfilesOptions
		wantErr string
	}{
		{name: "all", args: nil, want: ProfilesOptions{}},
		{name: "one", args: []string{"pico-w"}, want: ProfilesOptions{Name: "pico-w"}},
		{name: "unknown", args: []string{"pico"}, wantErr: `unknown profile "pico"`},
		{name: "two", args: []string{"host", "pico-w"}, wantErr: "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdProfiles, tt.args, tt.want, tt.wantErr)
		})
	}
}

func TestRunProfiles(t *testing.T) {
	tests := []struct {
		name    string
		opts    ProfilesOptions
		want    []string
		wantNot []string
	}{
		{name: "every profile and rule", want: []string{"host", "pico-w ", "pico-w-patched", "accept-timeout-0", "park-until-tick",
			"one-segment-read", "send-buffer", "connection-limit", "rst-on-unread-close", "Fixed:"}},
		{name: "one profile", opts: ProfilesOptions{Name: "pico-w"}, want: []string{"pico-w ", "send-buffer"},
			wantNot: []string{"host", "pico-w-patched", "Fixed:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.opts.Out = &out
			require.NoError(t, runProfiles(t.Context(), &tt.opts))
			for _, s := range tt.want {
				assert.Contains(t, out.String(), s)
			}
			for _, s := range tt.wantNot {
				assert.NotContains(t, out.String(), s)
			}
		})
	}
}

func TestRunProfilesListsEveryRuleOnce(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, runProfiles(t.Context(), &ProfilesOptions{Out: &out}))
	for _, p := range profile.All() {
		for _, r := range p.Rules {
			assert.Contains(t, out.String(), "  "+r.Name+" ")
		}
	}
	// One line per profile and per rule, with a blank line between profiles.
	lines := strings.Count(out.String(), "\n")
	want := 0
	for _, p := range profile.All() {
		want += 1 + len(p.Rules)
	}
	assert.Equal(t, want+len(profile.All())-1, lines)
}
