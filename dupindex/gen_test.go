package dupindex

import (
	"cmp"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// A generator draws hashes from one distribution; tests and benchmarks use the same ones.
type generator interface {
	next() uint64
}

// uniform draws independent uniform hashes: the easy case for multi-index hashing.
type uniform struct{ rng *rand.Rand }

func newUniform(seed uint64) *uniform { return &uniform{rand.New(rand.NewPCG(seed, 1))} }

func (g *uniform) next() uint64 { return g.rng.Uint64() }

// skewed imitates real pHashes of check-in photos, which look alike (dashboards, odometers,
// number plates) and include many near-identical ones (black, blank or overexposed shots):
//
//   - 10% are one of 4 very common hashes with each bit flipped with probability 2%, so about
//     a quarter are exact copies of their hash and most of the rest within 2 bits;
//   - 90% come from 500 cluster centres with Zipf-like sizes (the largest holds 13% of all
//     hashes), each bit flipped with probability 20%: two hashes of one cluster are about 20
//     bits apart, against 32 for unrelated ones.
type skewed struct {
	rng     *rand.Rand
	common  []uint64
	centres []uint64
	cumul   []float64 // cumulative cluster weights, ending at 1
}

func newSkewed(seed uint64) *skewed {
	rng := rand.New(rand.NewPCG(seed, 2))
	// The centres are fixed whatever the seed, so a query stream (another seed) is drawn from
	// the same clusters as the indexed hashes.
	fixed := rand.New(rand.NewPCG(42, 42))
	g := &skewed{rng: rng, common: []uint64{0, ^uint64(0), 0x8000000000000000, 0x00000000ffffffff}}
	var total float64
	for i := range 500 {
		g.centres = append(g.centres, fixed.Uint64())
		total += 1 / float64(i+1)
		g.cumul = append(g.cumul, total)
	}
	for i := range g.cumul {
		g.cumul[i] /= total
	}
	return g
}

func (g *skewed) next() uint64 {
	h, _ := g.draw()
	return h
}

// draw returns a hash and whether it is one of the very common ones.
func (g *skewed) draw() (h uint64, common bool) {
	if g.rng.IntN(10) == 0 {
		return g.common[g.rng.IntN(len(g.common))] ^ g.noise(0.02), true
	}
	i, _ := slices.BinarySearch(g.cumul, g.rng.Float64())
	return g.centres[min(i, len(g.centres)-1)] ^ g.noise(0.2), false
}

// noise returns a mask with each bit set with probability p. It jumps from one set bit to the
// next by geometric gaps, which draws 10 M skewed hashes in a fraction of the time of one
// random number per bit.
func (g *skewed) noise(p float64) uint64 {
	var m uint64
	for b := g.gap(p); b < 64; b += 1 + g.gap(p) {
		m |= 1 << b
	}
	return m
}

// gap returns the number of failures before a success of probability p.
func (g *skewed) gap(p float64) int {
	return int(math.Log(1-g.rng.Float64()) / math.Log(1-p))
}

// adversarial targets the index's structure rather than imitating photos: every hash shares
// substring 0 (the top 21 bits) with the others so table 0 is one bucket, hashes differ from a
// base in one substring only, exact duplicates abound, and the extremes 0 and ^0 appear.
type adversarial struct {
	rng *rand.Rand
	i   int
}

func newAdversarial(seed uint64) *adversarial {
	return &adversarial{rng: rand.New(rand.NewPCG(seed, 3))}
}

func (g *adversarial) next() uint64 {
	g.i++
	const base = 0x5555_5555_5555_5555
	switch g.i % 6 {
	case 0:
		return base&^(1<<43-1) | g.rng.Uint64()&(1<<43-1) // same top 21 bits
	case 1:
		return base ^ g.rng.Uint64()&0x1fffff<<21 // only the middle substring differs
	case 2:
		return base ^ 1<<g.rng.IntN(64) // one bit away
	case 3:
		return []uint64{0, ^uint64(0), base}[g.rng.IntN(3)] // duplicates of a few values
	case 4:
		return base ^ g.rng.Uint64()&g.rng.Uint64()&g.rng.Uint64() // about 8 bits away
	default:
		return g.rng.Uint64()
	}
}

// entries draws n entries with refs 0..n-1 in a shuffled order, so nothing relies on refs
// ascending with insertion.
func entries(g generator, n int, seed uint64) []Entry {
	es := make([]Entry, n)
	for i := range es {
		es[i] = Entry{Ref: int64(i), Hash: g.next()}
	}
	rng := rand.New(rand.NewPCG(seed, 4))
	rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	return es
}

// bruteForce returns every entry with its distance to q, sorted as Near sorts; the matches
// within r are the prefix with Dist ≤ r.
func bruteForce(es []Entry, q uint64) []Match {
	ms := make([]Match, len(es))
	for i, e := range es {
		ms[i] = Match{e.Ref, bits.OnesCount64(e.Hash ^ q)}
	}
	slices.SortFunc(ms, func(a, b Match) int {
		if a.Dist != b.Dist {
			return a.Dist - b.Dist
		}
		return cmp.Compare(a.Ref, b.Ref)
	})
	return ms
}

// within returns the prefix of sorted matches at distance at most r.
func within(sorted []Match, r int) []Match {
	n, _ := slices.BinarySearchFunc(sorted, r+1, func(m Match, d int) int { return m.Dist - d })
	return sorted[:n]
}

// flip returns h with n distinct random bits flipped.
func flip(rng *rand.Rand, h uint64, n int) uint64 {
	for _, b := range rng.Perm(64)[:n] {
		h ^= 1 << b
	}
	return h
}
