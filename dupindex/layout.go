package dupindex

import "math/bits"

// Limits on the number of substrings. Two 32-bit substrings would need 32 GiB of bucket offsets,
// and substrings narrower than 4 bits filter almost nothing.
const (
	minSubstrings = 3
	maxSubstrings = 16
)

// layout cuts the 64 bits into substrings. Substring 0 is the top bits, so sorting hashes by
// value sorts them by substring 0 and table 0 needs no array of its own. Narrower substrings
// come first: the search widens the radius of the first tables before the later ones, and a
// narrow table has fewer values to probe per radius.
type layout struct {
	m     int
	width [maxSubstrings]uint8
	shift [maxSubstrings]uint8
}

func newLayout(m int) layout {
	l := layout{m: m}
	base, extra := 64/m, 64%m
	shift := 64
	for k := range m {
		w := base
		if k >= m-extra {
			w++
		}
		shift -= w
		l.width[k], l.shift[k] = uint8(w), uint8(shift)
	}
	return l
}

// sub returns substring k of h.
func (l *layout) sub(h uint64, k int) uint32 {
	return uint32(h>>l.shift[k]) & (1<<l.width[k] - 1)
}

// mask has the bits of substring k set, in place.
func (l *layout) mask(k int) uint64 {
	return (1<<uint64(l.width[k]) - 1) << l.shift[k]
}

// binom[n][k] is n choose k: the number of substring values at distance exactly k from the
// query's in an n-bit substring. Only cost estimates use it, hence float64.
var binom = func() (t [65][65]float64) {
	for n := range 65 {
		t[n][0] = 1
		for k := 1; k <= n; k++ {
			t[n][k] = t[n-1][k-1] + t[n-1][k]
		}
	}
	return t
}()

// Cost model, in units of comparing one key during a full scan (a sequential read and a
// popcount, about 0.6 ns on the reference machine). A probe is two dependent cache misses, the
// bucket's offsets and its first keys, partly overlapped with other probes' (about 50 ns); a
// candidate is one key read in order within its bucket (about 3 ns). Fitted on BenchmarkNear
// with 3 to 5 substrings at 1 M and 10 M keys; they steer choices, never correctness.
const (
	costProbe     = 80
	costCandidate = 5
)

// designRadius is the radius New's adaptive choice of substrings optimises for: the middle of
// the 6–12 the server uses.
const designRadius = 10

// searchCost estimates the cost of probing every table up to radius r over n distinct keys,
// assuming keys spread evenly over buckets.
func (l *layout) searchCost(n int, r int) float64 {
	var cost float64
	for d := 0; d <= r; d++ {
		k, e := d%l.m, d/l.m
		w := int(l.width[k])
		if e > w {
			continue
		}
		probes := binom[w][e]
		cost += probes * (costProbe + costCandidate*float64(n)/float64(uint64(1)<<w))
	}
	return cost
}

// chooseSubstrings picks the number of substrings that makes a search at designRadius cheapest
// for n distinct keys: 4 (16-bit substrings) around 1 M keys, 3 (21–22 bits) from about 8 M,
// widths near log2 n as the paper suggests. Each table costs 8 bytes per key, so when fewer
// tables are about as fast (within 10%), fewer win.
func chooseSubstrings(n int) int {
	const most = 8 // more tables are never cheaper at sizes where an index beats a scan
	var costs [most + 1]float64
	cheapest := 0.0
	for m := minSubstrings; m <= most; m++ {
		l := newLayout(m)
		costs[m] = l.searchCost(n, designRadius)
		if m == minSubstrings || costs[m] < cheapest {
			cheapest = costs[m]
		}
	}
	for m := minSubstrings; ; m++ {
		if costs[m] <= cheapest*1.1 {
			return m
		}
	}
}

// nextCombination returns the next larger integer with the same number of set bits (Gosper's
// hack); it enumerates the substring values at one distance without a table.
func nextCombination(v uint64) uint64 {
	c := v & -v
	r := v + c
	return (((r ^ v) >> 2) >> bits.TrailingZeros64(c)) | r
}
