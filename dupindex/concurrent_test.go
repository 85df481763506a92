package dupindex

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentReadersAndWriters runs searches while writers add entries one by one and in
// batches, with a small tail so rebuilds happen all the time (run it with -race). A search must
// find every entry whose Add returned before it started, and nothing that was never added or is
// farther than asked.
func TestConcurrentReadersAndWriters(t *testing.T) {
	const (
		writers   = 3
		perWriter = 3000
		batch     = 250 // the batch writer's chunks: larger than the tail, so they are merged
	)
	g := newSkewed(11)
	hashes := make([]uint64, (writers+1)*perWriter)
	for i := range hashes {
		hashes[i] = g.next()
	}
	// Writer w adds refs w, w+stride, ... in order; done[w] counts the ones added so far.
	const stride = writers + 1
	var done [stride]atomic.Int64

	x := New()
	x.minTail = 64
	x.AddBatch(entriesOf(hashes, 0, stride, perWriter/2)) // something to start from
	done[0].Store(perWriter / 2)

	var wg sync.WaitGroup
	for w := 1; w < stride; w++ {
		wg.Go(func() {
			for i := range perWriter {
				ref := int64(i*stride + w)
				x.Add(ref, hashes[ref])
				done[w].Store(int64(i + 1))
			}
		})
	}
	wg.Go(func() { // the batch writer owns refs ≡ 0 (mod stride) after the initial ones
		for i := perWriter / 2; i < perWriter; i += batch {
			x.AddBatch(entriesOf(hashes, i, stride, min(batch, perWriter-i)))
			done[0].Store(int64(min(i+batch, perWriter)))
		}
	})

	var stop atomic.Bool
	var readers sync.WaitGroup
	for r := range 2 {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 9))
			for searches := 0; !stop.Load() || searches < 1000; searches++ {
				w := rng.IntN(stride)
				n := done[w].Load()
				if n == 0 {
					continue
				}
				ref := int64(rng.Int64N(n))*stride + int64(w)
				q := flip(rng, hashes[ref], rng.IntN(4))
				maxDist := 3 + rng.IntN(8)
				got := x.Near(q, maxDist)
				if !slices.ContainsFunc(got, func(m Match) bool { return m.Ref == ref }) {
					t.Errorf("Near(%#x, %d) misses ref %d, added before the search", q, maxDist, ref)
					return
				}
				if err := checkMatches(got, hashes, q, maxDist); err != "" {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	stop.Store(true)
	readers.Wait()

	x.wait()
	if x.Len() != len(hashes) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(hashes))
	}
	for ref, h := range hashes {
		if got := x.Near(h, 0); !slices.Contains(got, Match{int64(ref), 0}) {
			t.Fatalf("after the writers: Near(%#x, 0) = %v misses ref %d", h, head(got), ref)
		}
	}
}

// entriesOf returns the entries of refs start·stride, (start+1)·stride, ... n of them.
func entriesOf(hashes []uint64, start, stride, n int) []Entry {
	es := make([]Entry, n)
	for i := range es {
		ref := (start + i) * stride
		es[i] = Entry{int64(ref), hashes[ref]}
	}
	return es
}

// checkMatches returns what is wrong with matches of q within maxDist, if anything.
func checkMatches(ms []Match, hashes []uint64, q uint64, maxDist int) string {
	for i, m := range ms {
		if m.Ref < 0 || m.Ref >= int64(len(hashes)) {
			return "unknown ref in results"
		}
		if d := bits.OnesCount64(hashes[m.Ref] ^ q); d != m.Dist || d > maxDist {
			return "wrong distance in results"
		}
		if i > 0 && (ms[i-1].Dist > m.Dist || ms[i-1].Dist == m.Dist && ms[i-1].Ref >= m.Ref) {
			return "results out of order or repeated"
		}
	}
	return ""
}

// TestAddBatchEquivalentToAdd builds one data set three ways: Add one by one (rebuilding as it
// goes), one AddBatch, and uneven AddBatch chunks on top of some Adds. Every search must agree.
func TestAddBatchEquivalentToAdd(t *testing.T) {
	for _, gen := range []generator{newUniform(21), newSkewed(21), newAdversarial(21)} {
		es := entries(gen, 12000, 21)

		one := New()
		one.minTail = 500
		for _, e := range es {
			one.Add(e.Ref, e.Hash)
		}
		one.rebuildNow(nil) // empties the tail so the frozen parts compare

		batch := New()
		batch.AddBatch(es)

		mixed := New()
		rng := rand.New(rand.NewPCG(22, 22))
		for i := 0; i < len(es); {
			n := min(1+rng.IntN(3000), len(es)-i)
			if rng.IntN(3) == 0 {
				for _, e := range es[i : i+n] {
					mixed.Add(e.Ref, e.Hash)
				}
			} else {
				mixed.AddBatch(es[i : i+n])
			}
			i += n
		}
		mixed.wait()

		if one.Len() != len(es) || batch.Len() != len(es) || mixed.Len() != len(es) {
			t.Fatalf("Len = %d, %d, %d, want %d", one.Len(), batch.Len(), mixed.Len(), len(es))
		}
		if a, b := one.Stats(), batch.Stats(); a.Distinct != b.Distinct || a.Substrings != b.Substrings {
			t.Errorf("Stats: one by one %+v, batch %+v: want the same frozen part", a, b)
		}
		for _, q := range queries(es, gen, 60, 23) {
			for _, r := range []int{0, 4, 8, 12} {
				want := one.Near(q, r)
				if got := batch.Near(q, r); !slices.Equal(got, want) {
					t.Fatalf("%T: AddBatch: Near(%#x, %d) = %v, Add gives %v", gen, q, r, head(got), head(want))
				}
				if got := mixed.Near(q, r); !slices.Equal(got, want) {
					t.Fatalf("%T: mixed: Near(%#x, %d) = %v, Add gives %v", gen, q, r, head(got), head(want))
				}
			}
		}
	}
}
