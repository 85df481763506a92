package loadtest

import (
	"math"
	"math/bits"
	"time"
)

// Latencies are kept in log-linear buckets, as HDR histograms do: values below 256 ns exactly,
// above that with their top 8 significant bits, so each bucket is at most 1/128 (0.8 %) of its
// values wide. That bounds memory (about 58 KB per histogram) whatever the run's length, and
// merging worker histograms is a sum.
const (
	subBits    = 7
	subBuckets = 1 << subBits // buckets per power of two above 2×subBuckets
	numBuckets = (64-subBits-1)*subBuckets + 2*subBuckets
)

// Histogram records durations with under 1 % relative error. The zero value is ready to use;
// it is not safe for concurrent use (give each worker its own and Merge them).
type Histogram struct {
	counts   [numBuckets]uint64
	n        uint64
	sum      float64
	min, max time.Duration
}

func bucketOf(v uint64) int {
	if v < 2*subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return shift*subBuckets + int(v>>shift)
}

// bucketRange returns the smallest value of bucket i and its width.
func bucketRange(i int) (lo, width uint64) {
	if i < 2*subBuckets {
		return uint64(i), 1
	}
	shift := i/subBuckets - 1
	m := uint64(i%subBuckets + subBuckets)
	return m << shift, 1 << shift
}

// Record adds one duration; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	d = max(d, 0)
	h.counts[bucketOf(uint64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += float64(d)
}

// Merge adds every value recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.n += o.n
	h.sum += o.sum
}

// Count is the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Max is the largest value recorded (exact).
func (h *Histogram) Max() time.Duration { return h.max }

// Mean is the average of the values recorded (exact), 0 when there are none.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.n))
}

// Quantile returns the value below or at which a fraction q (0 to 1) of the values lie: the
// middle of the bucket holding the value of that rank, kept within the exact minimum and
// maximum. It returns 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, w := bucketRange(i)
			v := time.Duration(lo + (w-1)/2)
			return min(max(v, h.min), h.max)
		}
	}
	return h.max
}
