package main

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkParse runs the command newCmd builds on args with a runF that keeps
// the options it is handed instead of running: parsing tested apart from
// running. With wantErr it checks that parsing failed saying so and that
// nothing ran; otherwise that the options, less the writers cobra set
// (Out, ErrOut), equal want.
func checkParse[O any](t *testing.T, newCmd func(func(context.Context, *O) error) *cobra.Command, args []string, want O, wantErr string) {
	t.Helper()
	var got *O
	cmd := newCmd(func(_ context.Context, o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	if wantErr != "" {
		require.Error(t, err)
		assert.Contains(t, err.Error(), wantErr)
		assert.Nil(t, got, "nothing ran")
		return
	}
	require.NoError(t, err)
	v := reflect.ValueOf(got).Elem()
	for _, name := range []string{"Out", "ErrOut"} {
		if f := v.FieldByName(name); f.IsValid() {
			f.SetZero()
		}
	}
	assert.Equal(t, want, *got)
}
