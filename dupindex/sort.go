package dupindex

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// entry is an Entry as stored in the tail and sorted for a rebuild.
type entry struct {
	hash uint64
	ref  int64
}

func compareEntries(a, b entry) int {
	if c := cmp.Compare(a.hash, b.hash); c != 0 {
		return c
	}
	return cmp.Compare(a.ref, b.ref)
}

// radixBits is the digit of sortEntries' two radix passes: 2 Ki buckets keep every bucket's
// write position in L1, which matters more than the number of passes (a single pass on 16 bits
// is several times slower, its writes missing the cache and the TLB).
const radixBits = 11

// sortEntries sorts by hash then ref. Loading 10 M entries at startup is dominated by this sort,
// so it is a radix sort on the top 22 bits (two passes through a scratch copy) followed by
// comparison sorts of the buckets left, a handful of entries each unless hashes repeat. The
// second pass and the final sorts run on every core. A comparison sort of the whole slice takes
// about five times longer.
func sortEntries(es []entry) {
	if len(es) < 1<<radixBits {
		slices.SortFunc(es, compareEntries)
		return
	}
	buf := make([]entry, len(es))
	first := radixPass(buf, es, 64-radixBits)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for b := w; b < 1<<radixBits; b += workers {
				lo, hi := first[b], first[b+1]
				second := radixPass(es[lo:hi], buf[lo:hi], 64-2*radixBits)
				for c := range 1 << radixBits {
					if bucket := es[lo+second[c] : lo+second[c+1]]; len(bucket) > 1 {
						slices.SortFunc(bucket, compareEntries)
					}
				}
			}
		})
	}
	wg.Wait()
}

// radixPass copies src to dst stably ordered by the radixBits bits of the hash from shift
// (within src, which the caller has already ordered by the bits above), and returns where each
// digit's run starts; the last element is len(src).
func radixPass(dst, src []entry, shift uint) *[1<<radixBits + 1]int {
	var start [1<<radixBits + 1]int
	for _, e := range src {
		start[(e.hash>>shift)&(1<<radixBits-1)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	next := start
	for _, e := range src {
		d := (e.hash >> shift) & (1<<radixBits - 1)
		dst[next[d]] = e
		next[d]++
	}
	return &start
}
