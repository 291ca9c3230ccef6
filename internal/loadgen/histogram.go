package loadgen

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// subBits sets the histogram's precision: 2^subBits linear sub-buckets per
// power of two keep every percentile within 1/64 (about 1.6%) of the truth
// in a fixed 30 KB, however long a soak runs.
const subBits = 6

const (
	subCount   = 1 << subBits
	numBuckets = (65 - subBits) * subCount // room for every uint64
)

// histogram records latencies from many goroutines at once. Its zero value
// is ready to use.
type histogram struct {
	counts [numBuckets]atomic.Uint64
	n      atomic.Uint64
	sum    atomic.Uint64
	min    atomic.Uint64 // stored as ^v so that the zero value means "none"
	max    atomic.Uint64
}

// bucketOf returns the bucket holding v: exact below subCount, then
// subCount buckets per power of two.
func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return (shift+1)*subCount + int(v>>shift) - subCount
}

// bucketMid returns a value in the middle of bucket i.
func bucketMid(i int) uint64 {
	if i < subCount {
		return uint64(i)
	}
	shift := i/subCount - 1
	low := uint64(i%subCount+subCount) << shift
	return low + (uint64(1)<<shift)/2
}

// record adds one latency.
func (h *histogram) record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	h.sum.Add(v)
	for {
		old := h.max.Load()
		if v <= old || h.max.CompareAndSwap(old, v) {
			break
		}
	}
	for {
		old := h.min.Load()
		if (old != 0 && v >= ^old) || h.min.CompareAndSwap(old, ^v) {
			break
		}
	}
}

// quantile returns the latency below which a fraction q of the recorded
// ones lie, clamped to the exact minimum and maximum. Call it only once
// recording has stopped.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = min(max(rank, 1), n)
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			v := min(max(bucketMid(i), ^h.min.Load()), h.max.Load())
			return time.Duration(v)
		}
	}
	return time.Duration(h.max.Load())
}

// latency summarises the recorded latencies.
func (h *histogram) latency() Latency {
	n := h.n.Load()
	if n == 0 {
		return Latency{}
	}
	return Latency{
		Min:  time.Duration(^h.min.Load()),
		Mean: time.Duration(h.sum.Load() / n),
		P50:  h.quantile(0.50),
		P90:  h.quantile(0.90),
		P99:  h.quantile(0.99),
		Max:  time.Duration(h.max.Load()),
	}
}
