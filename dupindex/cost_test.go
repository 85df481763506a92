package dupindex

import (
	"testing"
)

// search runs one search like NearSeq and returns the searcher, to look at what it did.
func search(x *Index, q uint64, maxDist int) *searcher {
	s := &searcher{v: x.current(), q: q, maxDist: maxDist}
	s.run(func(Match) bool { return true })
	return s
}

// TestSearchUsesIndex checks that small radii probe a small part of the index, rather than
// reading it all, and that a search switches to a scan where probing would cost more: at wide
// radii, and when the query falls in a bucket holding most of the index.
func TestSearchUsesIndex(t *testing.T) {
	es := entries(newUniform(41), 100_000, 41)
	x := New()
	x.AddBatch(es)
	keys := float64(len(x.current().base.keys))
	g := newUniform(42)
	for range 20 {
		q := g.next()
		for _, r := range []int{4, 8, 10} {
			if s := search(x, q, r); s.scanned || s.work > keys/4 {
				t.Errorf("r=%d: scanned %t, work %.0f for %.0f keys: want a fraction", r, s.scanned, s.work, keys)
			}
		}
		if s := search(x, q, 30); !s.scanned {
			t.Errorf("r=30: probed, work %.0f: want a scan", s.work)
		}
	}

	// Every hash shares its top 21 bits (table 0's substring) with the query.
	heavy := New(WithSubstrings(3))
	var hs []Entry
	for i, e := range es {
		hs = append(hs, Entry{int64(i), 0xabcde<<43 | e.Hash>>21})
	}
	heavy.AddBatch(hs)
	s := search(heavy, 0xabcde<<43, 8)
	if !s.scanned || s.work > keys {
		t.Errorf("one full bucket: scanned %t, work %.0f: want a scan before checking it", s.scanned, s.work)
	}
}
