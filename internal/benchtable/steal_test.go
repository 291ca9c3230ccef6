package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCPULine(t *testing.T) {
	tests := []struct {
		line    string
		want    cpuTimes
		wantErr bool
	}{
		{line: "cpu  926613 18162 722167 1726266 73995 0 211698 68926 0 0", want: cpuTimes{total: 3747827, steal: 68926}},
		{line: "cpu 1 2 3 4 5 6 7 8", want: cpuTimes{total: 36, steal: 8}},
		{line: "cpu0 1 2 3 4 5 6 7 8 0 0", wantErr: true},
		{line: "cpu 1 2 3 4 5 6 7", wantErr: true},
		{line: "cpu 1 2 3 4 5 6 7 x 0 0", wantErr: true},
		{line: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := parseCPULine(tt.line)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStealShare(t *testing.T) {
	var sum cpuTimes
	assert.Zero(t, sum.stealShare())
	sum.add(cpuTimes{total: 1000, steal: 10}, cpuTimes{total: 1200, steal: 30})
	sum.add(cpuTimes{total: 5000, steal: 100}, cpuTimes{total: 5200, steal: 100})
	assert.InDelta(t, 0.05, sum.stealShare(), 1e-9)
	// A counter that went backwards (another boot's figures) is ignored.
	sum.add(cpuTimes{total: 9000, steal: 500}, cpuTimes{total: 100, steal: 1})
	assert.InDelta(t, 0.05, sum.stealShare(), 1e-9)
}
