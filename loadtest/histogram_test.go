package loadtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketsCoverEveryValueWithin1Percent(t *testing.T) {
	values := []uint64{0, 1, 255, 256, 257, 511, 512, 1000, 123456789, 1<<40 + 12345, math.MaxInt64}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		values = append(values, r.Uint64N(1<<uint(r.IntN(62)+1)))
	}
	for _, v := range values {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("value %d: bucket %d out of range", v, i)
		}
		lo, w := bucketRange(i)
		if v < lo || v-lo >= w {
			t.Fatalf("value %d in bucket %d = [%d, %d+%d)", v, i, lo, lo, w)
		}
		if w > 1 && float64(w)/float64(lo) > 1.0/subBuckets {
			t.Fatalf("bucket %d: width %d over 1/%d of %d", i, w, subBuckets, lo)
		}
	}
}

func TestQuantilesMatchSortedSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var samples []time.Duration
	var parts [4]Histogram
	for i := range 200000 {
		// A long-tailed mix, as latencies are: mostly around a millisecond, some far slower.
		d := time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		if i%100 == 0 {
			d += time.Duration(r.IntN(200)) * time.Millisecond
		}
		samples = append(samples, d)
		parts[i%len(parts)].Record(d)
	}
	var h Histogram
	for i := range parts {
		h.Merge(&parts[i])
	}
	slices.Sort(samples)
	if h.Count() != uint64(len(samples)) || h.Max() != samples[len(samples)-1] {
		t.Fatalf("count %d max %v, want %d and %v", h.Count(), h.Max(), len(samples), samples[len(samples)-1])
	}
	for _, q := range []float64{0, 0.5, 0.9, 0.99, 0.999, 1} {
		want := samples[max(0, int(math.Ceil(q*float64(len(samples))))-1)]
		got := h.Quantile(q)
		if math.Abs(float64(got-want)) > 0.01*float64(want) {
			t.Errorf("quantile %v: %v, want %v within 1%%", q, got, want)
		}
	}
	var sum time.Duration
	for _, s := range samples {
		sum += s
	}
	if mean := sum / time.Duration(len(samples)); math.Abs(float64(h.Mean()-mean)) > float64(time.Microsecond) {
		t.Errorf("mean %v, want %v", h.Mean(), mean)
	}
}

func TestEmptyHistogram(t *testing.T) {
	var h Histogram
	if h.Quantile(0.5) != 0 || h.Mean() != 0 || h.Max() != 0 || h.Count() != 0 {
		t.Fatalf("empty histogram: %v %v %v %d", h.Quantile(0.5), h.Mean(), h.Max(), h.Count())
	}
	h.Record(-time.Second) // a clock step backwards counts as zero
	if h.Quantile(1) != 0 || h.Count() != 1 {
		t.Fatalf("negative duration: %v", h.Quantile(1))
	}
}
