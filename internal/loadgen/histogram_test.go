package loadgen

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBucketsCoverEveryValueInOrder(t *testing.T) {
	prev := -1
	for _, v := range []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 1 << 20, 1<<40 + 12345, math.MaxInt64, math.MaxUint64} {
		i := bucketOf(v)
		assert.Less(t, i, numBuckets, v)
		assert.GreaterOrEqual(t, i, prev, v)
		prev = i
		mid := bucketMid(i)
		// The bucket's middle is within 1/64 of any value in it.
		assert.InDelta(t, float64(v), float64(mid), float64(v)/64+1, v)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	tests := []struct {
		name   string
		values []time.Duration
		want   Latency
	}{
		{"empty", nil, Latency{}},
		{"one value", []time.Duration{3 * time.Millisecond},
			Latency{3 * time.Millisecond, 3 * time.Millisecond, 3 * time.Millisecond, 3 * time.Millisecond, 3 * time.Millisecond, 3 * time.Millisecond}},
		{"1..100 ms", spread(100, time.Millisecond),
			Latency{time.Millisecond, 50500 * time.Microsecond, 50 * time.Millisecond, 90 * time.Millisecond, 99 * time.Millisecond, 100 * time.Millisecond}},
		{"one slow outlier", append(spread(99, time.Microsecond), time.Second),
			Latency{time.Microsecond, (4950*time.Microsecond + time.Second) / 100, 50 * time.Microsecond, 90 * time.Microsecond, 99 * time.Microsecond, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h histogram
			for _, v := range tt.values {
				h.record(v)
			}
			got := h.latency()
			assert.Equal(t, tt.want.Min, got.Min)
			assert.Equal(t, tt.want.Max, got.Max)
			assert.Equal(t, tt.want.Mean, got.Mean)
			for _, pair := range [][2]time.Duration{{tt.want.P50, got.P50}, {tt.want.P90, got.P90}, {tt.want.P99, got.P99}} {
				assert.InDelta(t, float64(pair[0]), float64(pair[1]), float64(pair[0])/64+1)
			}
		})
	}
}

// spread returns unit, 2·unit, ..., n·unit.
func spread(n int, unit time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * unit
	}
	return out
}
