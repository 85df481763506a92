package dupindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// radii are the distances every correctness test checks: all of 0–20, where the server works,
// and a few larger ones up to the whole hash.
var radii = append(func() (r []int) {
	for d := range 21 {
		r = append(r, d)
	}
	return r
}(), 24, 32, 40, 63, 64)

// where an index's entries sit when it is searched.
type placement int

const (
	inFrozen placement = iota // all rebuilt
	inTail                    // none rebuilt
	split                     // half rebuilt, half added since
)

func (p placement) String() string { return [...]string{"frozen", "tail", "split"}[p] }

// build returns an index holding es, placed as p.
func build(t testing.TB, es []Entry, p placement, opts ...Option) *Index {
	x := New(opts...)
	x.minTail = len(es) + 1 // no rebuild unless asked
	switch p {
	case inFrozen:
		x.rebuildNow(es)
	case inTail:
		for _, e := range es {
			x.Add(e.Ref, e.Hash)
		}
	case split:
		x.rebuildNow(es[:len(es)/2])
		x.AddBatch(es[len(es)/2:]) // small enough for the tail
	}
	if x.Len() != len(es) {
		t.Fatalf("Len = %d after adding %d", x.Len(), len(es))
	}
	return x
}

// rebuildNow adds es and merges everything into the frozen part.
func (x *Index) rebuildNow(es []Entry) {
	x.lockIdle()
	done := make(chan struct{})
	x.rebuilding = done
	v := x.current()
	x.mu.Unlock()
	x.rebuild(v, es, done)
}

// queries returns hashes to search for: entries' own hashes, hashes a few bits from them, and
// fresh hashes from the same generator.
func queries(es []Entry, g generator, n int, seed uint64) []uint64 {
	rng := rand.New(rand.NewPCG(seed, 5))
	var qs []uint64
	for i := range n {
		h := es[rng.IntN(len(es))].Hash
		switch i % 3 {
		case 0:
			qs = append(qs, h)
		case 1:
			qs = append(qs, flip(rng, h, 1+rng.IntN(10)))
		default:
			qs = append(qs, g.next())
		}
	}
	return qs
}

func TestNearMatchesBruteForce(t *testing.T) {
	const n = 4000
	gens := []struct {
		name string
		gen  func(seed uint64) generator
	}{
		{"uniform", func(s uint64) generator { return newUniform(s) }},
		{"skewed", func(s uint64) generator { return newSkewed(s) }},
		{"adversarial", func(s uint64) generator { return newAdversarial(s) }},
	}
	for _, g := range gens {
		es := entries(g.gen(1), n, 1)
		qs := queries(es, g.gen(2), 24, 3)
		want := make([][]Match, len(qs))
		for i, q := range qs {
			want[i] = bruteForce(es, q)
		}
		for _, sub := range []int{0, 3, 4, 5, 8, 16} {
			for _, p := range []placement{inFrozen, inTail, split} {
				for _, probeOnly := range []bool{false, true} {
					if p == inTail && (sub != 0 || probeOnly) {
						continue // the tail is scanned whatever the layout
					}
					name := fmt.Sprintf("%s/m=%d/%s/probeOnly=%t", g.name, sub, p, probeOnly)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						var opts []Option
						if sub != 0 {
							opts = append(opts, WithSubstrings(sub))
						}
						x := build(t, es, p, opts...)
						x.probeOnly = probeOnly
						for i, q := range qs {
							for _, r := range radii {
								if r > 20 && i%4 != 0 || probeOnly && (r > 24 || sub < 8 && (r > 20 || i%3 != 0)) {
									// Wide radii return most of the index, and probing every
									// value of a 21-bit table is correct but slow (a scan takes
									// over long before in real searches): fewer queries there.
									continue
								}
								got, w := x.Near(q, r), within(want[i], r)
								if !slices.Equal(got, w) {
									t.Fatalf("Near(%#x, %d): %d matches, want %d\n got %v\nwant %v",
										q, r, len(got), len(w), head(got), head(w))
								}
							}
						}
					})
				}
			}
		}
	}
}

// head shortens a failure message.
func head(ms []Match) []Match { return ms[:min(len(ms), 12)] }

func TestNearEdges(t *testing.T) {
	var zero Index
	if got, n := zero.Near(0, 64), zero.Len(); got != nil || n != 0 {
		t.Errorf("zero index: Near = %v, Len = %d", got, n)
	}
	zero.Add(1, 2)
	if got := zero.Near(3, 1); !slices.Equal(got, []Match{{1, 1}}) {
		t.Errorf("zero index after Add: Near = %v", got)
	}
	es := []Entry{{5, 0}, {3, 0}, {9, ^uint64(0)}, {1, 1}, {7, 0}, {2, 1 << 63}}
	for _, p := range []placement{inFrozen, inTail} {
		x := build(t, es, p)
		tests := []struct {
			q    uint64
			r    int
			want []Match
		}{
			{0, -1, nil},
			{0, 0, []Match{{3, 0}, {5, 0}, {7, 0}}}, // one hash, refs ascending whatever the order added
			{0, 1, []Match{{3, 0}, {5, 0}, {7, 0}, {1, 1}, {2, 1}}},
			{0, 63, []Match{{3, 0}, {5, 0}, {7, 0}, {1, 1}, {2, 1}}},
			{0, 64, []Match{{3, 0}, {5, 0}, {7, 0}, {1, 1}, {2, 1}, {9, 64}}},
			{0, 1000, []Match{{3, 0}, {5, 0}, {7, 0}, {1, 1}, {2, 1}, {9, 64}}},
			{^uint64(0), 2, []Match{{9, 0}}},
			{42, 0, nil},
		}
		for _, tt := range tests {
			if got := x.Near(tt.q, tt.r); !slices.Equal(got, tt.want) {
				t.Errorf("%s: Near(%#x, %d) = %v, want %v", p, tt.q, tt.r, got, tt.want)
			}
		}
	}
}

// TestNearSeqStops checks that stopping early yields a prefix of Near, for every cut.
func TestNearSeqStops(t *testing.T) {
	g := newSkewed(7)
	es := entries(g, 5000, 7)
	for _, p := range []placement{inFrozen, split} {
		x := build(t, es, p)
		for _, q := range queries(es, g, 6, 8) {
			all := x.Near(q, 14)
			for cut := range min(len(all), 40) + 1 {
				var got []Match
				for m := range x.NearSeq(q, 14) {
					if len(got) == cut {
						break
					}
					got = append(got, m)
				}
				if !slices.Equal(got, all[:cut]) {
					t.Fatalf("%s: first %d of NearSeq = %v, want %v", p, cut, got, all[:cut])
				}
			}
		}
	}
}

// TestDuplicateHashes adds one hash under many refs, out of order and across rebuilds.
func TestDuplicateHashes(t *testing.T) {
	x := New()
	x.minTail = 100
	rng := rand.New(rand.NewPCG(1, 1))
	refs := rng.Perm(1000)
	for _, r := range refs {
		x.Add(int64(r), 0xdead)
		x.Add(int64(r+1000), uint64(r)<<32) // distinct hashes in between
	}
	x.wait()
	if s := x.Stats(); s.Distinct == 0 || s.Distinct > 1001 {
		t.Errorf("Stats = %+v: want the copies stored once", s)
	}
	got := x.Near(0xdead, 0)
	if len(got) != 1000 {
		t.Fatalf("Near found %d copies, want 1000", len(got))
	}
	for i, m := range got {
		if m != (Match{int64(i), 0}) {
			t.Fatalf("match %d = %v, want ref %d at 0", i, m, i)
		}
	}
}

func TestWithSubstringsRange(t *testing.T) {
	for _, m := range []int{-1, 0, 1, 2, 17, 64} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("WithSubstrings(%d) did not panic", m)
				}
			}()
			WithSubstrings(m)
		}()
	}
}

// TestChooseSubstrings pins the adaptive choice where the server runs: tables about log2 n bits
// wide, fewer and wider ones as n grows.
func TestChooseSubstrings(t *testing.T) {
	tests := []struct {
		n      int
		lo, hi int
	}{
		{1000, 5, 8},
		{100_000, 4, 5},
		{1_000_000, 3, 4},
		{10_000_000, 3, 3},
		{100_000_000, 3, 3},
	}
	prev := 8
	for _, tt := range tests {
		m := chooseSubstrings(tt.n)
		if m < tt.lo || m > tt.hi || m > prev {
			t.Errorf("chooseSubstrings(%d) = %d, want %d–%d and no more than for fewer keys", tt.n, m, tt.lo, tt.hi)
		}
		prev = m
	}
}
