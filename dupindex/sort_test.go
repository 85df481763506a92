package dupindex

import (
	"slices"
	"testing"
)

func TestSortEntries(t *testing.T) {
	for _, n := range []int{0, 1, 2, 100, 1 << radixBits, 50_000} {
		for _, g := range []generator{newUniform(5), newSkewed(5), newAdversarial(5)} {
			es := make([]entry, n)
			for i, e := range entries(g, n, 5) {
				es[i] = entry{e.Hash, e.Ref}
			}
			want := slices.Clone(es)
			slices.SortFunc(want, compareEntries)
			sortEntries(es)
			if !slices.Equal(es, want) {
				t.Errorf("%T, %d entries: sortEntries differs from slices.SortFunc", g, n)
			}
		}
	}
}
