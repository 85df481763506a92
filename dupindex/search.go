package dupindex

import (
	"iter"
	"math/bits"
	"slices"
)

// Match is an entry found near a query hash.
type Match struct {
	Ref  int64
	Dist int // Hamming distance to the query, 0 to 64
}

// Near returns the entries within Hamming distance maxDist of hash (none when maxDist is
// negative; 64 or more matches everything), nearest first and by ascending ref among equals.
func (x *Index) Near(hash uint64, maxDist int) []Match {
	var ms []Match
	for m := range x.NearSeq(hash, maxDist) {
		ms = append(ms, m)
	}
	return ms
}

// NearSeq yields what Near returns, in the same order, finding it as it goes: matches at
// distance d are yielded before any work for distance d+1, so a caller that needs only the
// nearest few, or the first one that passes its own test (a ref below a bound, another
// partner's photo), stops early and skips the rest of the search. The search sees the index as
// it was when iteration began.
func (x *Index) NearSeq(hash uint64, maxDist int) iter.Seq[Match] {
	return func(yield func(Match) bool) {
		if maxDist < 0 {
			return
		}
		s := searcher{v: x.current(), q: hash, maxDist: min(maxDist, 64), probeOnly: x.probeOnly}
		s.run(yield)
	}
}

// searcher is one search. It widens the radius one step at a time. Step d probes one table, k =
// d mod m, with the substring values at exactly e = d div m from the query's. After step d,
// every table k has been probed to radius ⌊(d−k)/m⌋ (refined pigeonhole, Norouzi et al. §3):
// an entry at distance d differs in at least one substring k by at most that much, since
// otherwise the substrings would add up to more than d. So when step d ends, every entry at
// distance d has been found and they can be yielded. Entries found early (farther than d)
// wait in pending.
type searcher struct {
	v       *view
	q       uint64
	maxDist int
	// pending[d] are the keys (hashes of base) and tail refs found at distance d.
	pendingKeys [65][]uint64
	pendingTail [65][]int64
	refs        []int64 // scratch for sorting refs of one distance
	work        float64 // cost spent on probes so far (see costProbe)
	scanned     bool    // the base was scanned for every remaining distance
	probeOnly   bool    // see Index.probeOnly
	touch       uint64  // see probe
}

func (s *searcher) run(yield func(Match) bool) {
	for _, e := range s.v.tail {
		if d := bits.OnesCount64(e.hash ^ s.q); d <= s.maxDist {
			s.pendingTail[d] = append(s.pendingTail[d], e.ref)
		}
	}
	f := s.v.base
	for d := 0; d <= s.maxDist; d++ {
		if f != nil && !s.scanned {
			s.step(f, d)
		}
		if !s.yieldDist(d, yield) {
			return
		}
	}
}

// step probes table d mod m at distance d div m. It switches to reading every key, for all the
// remaining distances, as soon as probing would cost more than that: before the step when the
// estimate for evenly filled buckets says so, and before any batch of buckets whose actual
// sizes say so. That bounds a search at about twice a scan whatever the data, which is what
// keeps skewed hashes (buckets far fuller than average) from hurting more than that.
func (s *searcher) step(f *frozen, d int) {
	k, e := d%f.m, d/f.m
	w := int(f.width[k])
	if e > w {
		return
	}
	expected := binom[w][e] * (costProbe + costCandidate*float64(len(f.keys))/float64(uint64(1)<<w))
	if !s.affordable(f, expected) {
		s.scan(f, d)
		return
	}
	qs := uint32(f.sub(s.q, k))
	if e == 0 {
		if !s.probe(f, d, k, []uint32{qs}) {
			s.scan(f, d)
		}
		return
	}
	var vs [probeBatch]uint32
	n := 0
	limit := uint64(1) << w
	for mask := uint64(1)<<e - 1; mask < limit; mask = nextCombination(mask) {
		vs[n] = qs ^ uint32(mask)
		if n++; n == len(vs) {
			if !s.probe(f, d, k, vs[:]) {
				s.scan(f, d)
				return
			}
			n = 0
		}
	}
	if !s.probe(f, d, k, vs[:n]) {
		s.scan(f, d)
	}
}

// affordable reports whether spending cost more on probes keeps the search cheaper than a scan.
func (s *searcher) affordable(f *frozen, cost float64) bool {
	return s.probeOnly || s.work+cost <= float64(len(f.keys))
}

// probeBatch is how many buckets probe reads at once.
const probeBatch = 32

// probe checks the keys of buckets vs of table k, found at step d, and keeps the matches found
// first at this step. It reports false, having checked nothing, if that would cost more than
// the search can afford.
//
// A probe is two dependent cache misses (the offsets, then the bucket), which dominate a search.
// Reading the offsets of a whole batch, then the first key of each bucket, then checking the
// buckets, lets the processor wait for many misses at once instead of one after the other
// behind the checks' unpredictable branches.
func (s *searcher) probe(f *frozen, d, k int, vs []uint32) bool {
	var lo, hi [probeBatch]uint32
	off := f.off[k]
	candidates := 0
	for i, v := range vs {
		lo[i], hi[i] = off[v], off[v+1]
		candidates += int(hi[i] - lo[i])
	}
	cost := float64(len(vs))*costProbe + float64(candidates)*costCandidate
	if !s.affordable(f, cost) {
		return false
	}
	s.work += cost
	table := f.keys
	if k > 0 {
		table = f.table[k]
	}
	var touch uint64
	for i := range vs {
		if lo[i] < hi[i] {
			// Both ends: a bucket of a few keys often straddles two cache lines, and a longer
			// one is read in order, which the hardware prefetches.
			touch |= table[lo[i]] ^ table[hi[i]-1]
		}
	}
	s.touch ^= touch // keeps the reads above
	for i := range vs {
		for _, h := range table[lo[i]:hi[i]] {
			s.check(f, d, k, h)
		}
	}
	return true
}

// check keeps key h if it is within maxDist and this step is the first to find it: another
// table j finds it at step e_j·m + j, where e_j is its distance in substring j, and the earliest
// of those steps is the one that reports it. This drops duplicates without a set.
func (s *searcher) check(f *frozen, d, k int, h uint64) {
	x := h ^ s.q
	dist := bits.OnesCount64(x)
	if dist > s.maxDist {
		return
	}
	for j := range f.m {
		if j != k && bits.OnesCount64(x&f.mask(j))*f.m+j < d {
			return
		}
	}
	s.pendingKeys[dist] = append(s.pendingKeys[dist], h)
}

// scan reads every key for the distances from d on, replacing what the probes had found there.
func (s *searcher) scan(f *frozen, d int) {
	for dist := d; dist <= s.maxDist; dist++ {
		s.pendingKeys[dist] = s.pendingKeys[dist][:0]
	}
	for _, h := range f.keys {
		if dist := bits.OnesCount64(h ^ s.q); dist >= d && dist <= s.maxDist {
			s.pendingKeys[dist] = append(s.pendingKeys[dist], h)
		}
	}
	s.scanned = true
}

// yieldDist yields the matches at distance d by ascending ref, and reports whether to go on.
func (s *searcher) yieldDist(d int, yield func(Match) bool) bool {
	keys, tail := s.pendingKeys[d], s.pendingTail[d]
	if len(keys) == 0 && len(tail) == 0 {
		return true
	}
	f := s.v.base
	if len(keys) == 1 && len(tail) == 0 {
		// One hash: its refs are sorted already, and a caller may stop before the end of a
		// hash shared by thousands of photos.
		for _, ref := range f.refsOf(keys[0]) {
			if !yield(Match{ref, d}) {
				return false
			}
		}
		return true
	}
	refs := append(s.refs[:0], tail...)
	for _, h := range keys {
		refs = append(refs, f.refsOf(h)...)
	}
	slices.Sort(refs)
	s.refs = refs
	for _, ref := range refs {
		if !yield(Match{ref, d}) {
			return false
		}
	}
	return true
}
