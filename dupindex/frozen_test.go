package dupindex

import (
	"math/bits"
	"slices"
	"testing"
)

// TestFrozenInvariants checks the structure a rebuild makes: sorted distinct keys with their refs
// ascending, and every table holding each key once, in the bucket of its substring, ascending
// within the bucket.
func TestFrozenInvariants(t *testing.T) {
	for _, m := range []int{0, 3, 5, 16} {
		for _, g := range []generator{newUniform(31), newSkewed(31), newAdversarial(31)} {
			es := entries(g, 8000, 31)
			x := New()
			if m != 0 {
				x = New(WithSubstrings(m))
			}
			x.rebuildNow(es[:3000])
			x.rebuildNow(es[3000:]) // a merge with an existing frozen part
			f := x.current().base

			if !slices.IsSorted(f.keys) || len(slices.Compact(slices.Clone(f.keys))) != len(f.keys) {
				t.Fatalf("m=%d %T: keys not sorted and distinct", m, g)
			}
			byHash := map[uint64][]int64{}
			for _, e := range es {
				byHash[e.Hash] = append(byHash[e.Hash], e.Ref)
			}
			if len(byHash) != len(f.keys) || len(f.refs) != len(es) || (f.refOff == nil) != (len(byHash) == len(es)) {
				t.Fatalf("m=%d %T: %d keys, %d refs, refOff %t; want %d, %d", m, g, len(f.keys), len(f.refs), f.refOff != nil, len(byHash), len(es))
			}
			for _, h := range f.keys {
				want := byHash[h]
				slices.Sort(want)
				if got := f.refsOf(h); !slices.Equal(got, want) {
					t.Fatalf("m=%d %T: refs of %#x = %v, want %v", m, g, h, got, want)
				}
			}
			width := 0
			for k := range f.m {
				width += int(f.width[k])
				table := f.keys
				if k > 0 {
					table = f.table[k]
				}
				off := f.off[k]
				if len(off) != 1<<f.width[k]+1 || off[0] != 0 || int(off[len(off)-1]) != len(f.keys) {
					t.Fatalf("m=%d %T table %d: offsets %d long from %d to %d", m, g, k, len(off), off[0], off[len(off)-1])
				}
				for v := range len(off) - 1 {
					if off[v] > off[v+1] {
						t.Fatalf("m=%d %T table %d: offsets decrease at %d", m, g, k, v)
					}
				}
				for i, h := range table {
					v := f.sub(h, k)
					if uint32(i) < off[v] || uint32(i) >= off[v+1] {
						t.Fatalf("m=%d %T table %d: %#x outside bucket %d", m, g, k, h, v)
					}
					if i > 0 && f.sub(table[i-1], k) == v && table[i-1] >= h {
						t.Fatalf("m=%d %T table %d bucket %d not ascending", m, g, k, v)
					}
				}
				sorted := slices.Clone(table)
				slices.Sort(sorted)
				if !slices.Equal(sorted, f.keys) {
					t.Fatalf("m=%d %T table %d does not hold every key once", m, g, k)
				}
			}
			var all uint64
			for k := range f.m {
				all |= f.mask(k)
				if bits.OnesCount64(f.mask(k)) != int(f.width[k]) || (k > 0 && f.mask(k)&f.mask(k-1) != 0) {
					t.Fatalf("m=%d: substring masks overlap or have the wrong width", f.m)
				}
			}
			if width != 64 || all != ^uint64(0) {
				t.Fatalf("m=%d: substrings cover %d bits, mask %#x", f.m, width, all)
			}
		}
	}
}
