package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInput(t *testing.T) {
	tests := []struct {
		in      string
		want    Input
		wantErr string
	}{
		{"k1=40", Input{"k1", 40}, ""},
		{" ain = 3.5 ", Input{"ain", 3.5}, ""},
		{"b1=1", Input{"b1", 1}, ""},
		{"k9=1", Input{"k9", 1}, ""}, // the name is SetInputs' to check
		{"k1", Input{}, `"k1": want NAME=VALUE`},
		{"=3", Input{}, `"=3": want NAME=VALUE`},
		{"k1=x", Input{}, `"k1=x": "x" is not a number`},
		{"k1=", Input{}, `"k1=": "" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInput(tt.in)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSetInputs(t *testing.T) {
	tests := []struct {
		name    string
		inputs  []Input
		want    InputState
		wantErr string
	}{
		{"none", nil, InputState{}, ""},
		{"several", []Input{{"k1", 40}, {"din", 1}, {"ain", 12}},
			InputState{K1: 40, DIN: 1, AIN: 12}, ""},
		{"the last of a name wins", []Input{{"k2", 10}, {"k2", 20}}, InputState{K2: 20}, ""},
		{"a bad one changes nothing", []Input{{"k1", 40}, {"b1", 2}},
			InputState{}, "input b1: 2 is not 0 or 1"},
		{"an unknown name changes nothing", []Input{{"b1", 1}, {"cv1", 5}},
			InputState{}, `unknown input "cv1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io := NewIO()
			err := io.SetInputs(tt.inputs)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.want, io.Snapshot().Inputs)
		})
	}
}
