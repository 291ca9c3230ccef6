package emulator

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIOSet(t *testing.T) {
	tests := []struct {
		name  string
		value float64
		err   string
		check func(t *testing.T, st IOState)
	}{
		{name: "k1", value: 40, check: func(t *testing.T, st IOState) { assert.Equal(t, 40.0, st.Inputs.K1) }},
		{name: "k1", value: 57, check: func(t *testing.T, st IOState) { assert.Equal(t, 57.0, st.Inputs.K1) }},
		{name: "k2", value: 100, check: func(t *testing.T, st IOState) { assert.Equal(t, 100.0, st.Inputs.K2) }},
		{name: "ain", value: 12, check: func(t *testing.T, st IOState) { assert.Equal(t, 12.0, st.Inputs.AIN) }},
		{name: "din", value: 1, check: func(t *testing.T, st IOState) { assert.Equal(t, 1, st.Inputs.DIN) }},
		{name: "b1", value: 1, check: func(t *testing.T, st IOState) { assert.Equal(t, 1, st.Inputs.B1) }},
		{name: "b2", value: 1, check: func(t *testing.T, st IOState) { assert.Equal(t, 1, st.Inputs.B2) }},
		{name: "k1", value: 100.5, err: "input k1: 100.5 is outside 0..100 (a knob is set in percent)"},
		{name: "k2", value: -1, err: "input k2: -1 is outside 0..100 (a knob is set in percent)"},
		{name: "ain", value: 12.5, err: "input ain: 12.5 V is outside 0..12 V"},
		{name: "din", value: 0.5, err: "input din: 0.5 is not 0 or 1"},
		{name: "b1", value: 2, err: "input b1: 2 is not 0 or 1"},
		{name: "k1", value: math.NaN(), err: "input k1: value NaN is not a finite number"},
		{name: "ain", value: math.Inf(1), err: "input ain: value +Inf is not a finite number"},
		{name: "cv1", value: 1, err: `unknown input "cv1": want one of ain, b1, b2, din, k1, k2`},
		{name: "K1", value: 1, err: `unknown input "K1": want one of ain, b1, b2, din, k1, k2`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%v", tt.name, tt.value), func(t *testing.T) {
			io := NewIO()
			before := io.Snapshot()
			err := io.Set(tt.name, tt.value)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				assert.Equal(t, before, io.Snapshot(), "a refused value changes nothing")
				return
			}
			require.NoError(t, err)
			st := io.Snapshot()
			assert.Equal(t, before.Version+1, st.Version)
			tt.check(t, st)
		})
	}
}

func TestVoltsDuty(t *testing.T) {
	// Expectations computed with europi_hardware's arithmetic and the
	// default calibration, under CPython.
	tests := []struct {
		volts float64
		duty  int
		read  float64
	}{
		{0, 0, 0},
		{7.071, 44672, 6.816510261692226},
		{5, 31625, 4.825665674830243},
		{0.5, 3150, 0.4806591897459373},
		{9.999, 63468, 9.684596017395284},
		{10, 63475, 9.685664148928053},
		{42, 63475, 9.685664148928053},
		{-3, 0, 0},
		{math.Inf(1), 63475, 9.685664148928053},
		{math.Inf(-1), 0, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.volts), func(t *testing.T) {
			duty, err := voltsDuty(tt.volts)
			require.NoError(t, err)
			assert.Equal(t, tt.duty, duty)
			assert.Equal(t, tt.read, dutyVolts(duty))
		})
	}
	_, err := voltsDuty(math.NaN())
	assert.EqualError(t, err, "cannot convert float NaN to integer")
}

func TestIOSnapshotOutputs(t *testing.T) {
	io := NewIO()
	io.setDuty(0, 44672)
	io.setDuty(5, 31625)
	st := io.Snapshot()
	require.Len(t, st.Outputs, NumCVs)
	assert.Equal(t, OutputState{Name: "cv1", Volts: 6.816510261692226, Duty: 44672}, st.Outputs[0])
	assert.Equal(t, OutputState{Name: "cv6", Volts: 4.825665674830243, Duty: 31625}, st.Outputs[5])
	assert.Equal(t, OutputState{Name: "cv3"}, st.Outputs[2])
	assert.Equal(t, uint64(2), st.Version)
	io.setDuty(0, 44672)
	assert.Equal(t, uint64(2), io.Snapshot().Version, "writing the same duty is no change")
}

// The panel is shared by scripts, --set and a dashboard: run them at once
// under the race detector.
func TestIOConcurrent(t *testing.T) {
	io := NewIO()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				assert.NoError(t, io.Set("k1", float64(i%101)))
				io.setDuty(g, i)
				_ = io.knobPercent(0)
				_ = io.Snapshot()
			}
		}()
	}
	wg.Wait()
	st := io.Snapshot()
	for g := 0; g < 4; g++ {
		assert.Equal(t, 199, st.Outputs[g].Duty)
	}
	assert.GreaterOrEqual(t, st.Version, uint64(4*199+1))
}

func TestIOSetSameValueIsNoChange(t *testing.T) {
	io := NewIO()
	require.NoError(t, io.Set("k1", 0))
	require.NoError(t, io.Set("b1", 0))
	assert.Equal(t, uint64(0), io.Snapshot().Version)
	require.NoError(t, io.Set("k1", 10))
	require.NoError(t, io.Set("k1", 10))
	assert.Equal(t, uint64(1), io.Snapshot().Version)
}
