package dupindex

import (
	"runtime"
	"slices"
	"sync"
)

// frozen is the immutable bulk of an index: sorted distinct hashes, their refs, and one bucket
// table per substring in CSR form (offsets into an array of hashes ordered by that substring).
// It is never modified after build, so searches read it without locks; additions go to the
// index's tail and a rebuild makes a new frozen.
//
// Per distinct hash it holds 8 bytes (keys), 8 bytes per table after the first, and 4 bytes of
// refOff unless every hash is distinct; per entry 8 bytes (refs). Table k adds 4·2^width[k]
// bytes of offsets however few keys it holds.
type frozen struct {
	layout
	// keys are the distinct hashes, ascending. Because substring 0 is the top bits, table 0's
	// buckets are ranges of keys.
	keys []uint64
	// refs of keys[i] are refs[refOff[i]:refOff[i+1]], ascending. refOff is nil when every key
	// has exactly one ref (refs[i] is then keys[i]'s), which saves 4 bytes per entry in the
	// common case.
	refOff []uint32
	refs   []int64
	// Bucket v of table k is off[k][v]:off[k][v+1], indexing keys for k = 0 and table[k] for
	// the others. table[k] holds the keys themselves, not their indexes: a search then reads a
	// bucket's candidates in one sequential run instead of missing the cache on each, which
	// makes it several times faster for 4 more bytes per key and table. The few keys that match
	// are found in keys by binary search, and only when their refs are yielded.
	off   [maxSubstrings][]uint32
	table [maxSubstrings][]uint64
}

// index returns the position of h in keys, which must hold it.
func (f *frozen) index(h uint64) uint32 {
	i, _ := slices.BinarySearch(f.keys, h)
	return uint32(i)
}

// refsOf returns the refs of hash h, which must be one of keys.
func (f *frozen) refsOf(h uint64) []int64 {
	i := f.index(h)
	if f.refOff == nil {
		return f.refs[i : i+1]
	}
	return f.refs[f.refOff[i]:f.refOff[i+1]]
}

// bytes is the memory the frozen part holds.
func (f *frozen) bytes() int64 {
	n := 8*int64(cap(f.keys)) + 4*int64(cap(f.refOff)) + 8*int64(cap(f.refs))
	for k := range f.m {
		n += 4*int64(cap(f.off[k])) + 8*int64(cap(f.table[k]))
	}
	return n
}

// newFrozen merges base (nil for none) with add, which must be sorted by hash then ref, into a
// new frozen with m substrings (0 chooses from the number of distinct hashes).
func newFrozen(base *frozen, add []entry, m int) *frozen {
	baseRefs := 0
	if base != nil {
		baseRefs = len(base.refs)
	}
	// Size exactly first so 10 M entries do not pay for append's spare capacity.
	distinct := 0
	mergeEntries(base, add, func(h uint64, ref int64, first bool) {
		if first {
			distinct++
		}
	})
	if distinct > maxKeys || baseRefs+len(add) > maxKeys {
		panic("dupindex: more than 2^32-1 entries")
	}
	if m == 0 {
		m = chooseSubstrings(distinct)
	}
	f := &frozen{layout: newLayout(m)}
	f.keys = make([]uint64, 0, distinct)
	f.refs = make([]int64, 0, baseRefs+len(add))
	if distinct < cap(f.refs) {
		f.refOff = make([]uint32, 0, distinct+1)
	}
	mergeEntries(base, add, func(h uint64, ref int64, first bool) {
		if first {
			if f.refOff != nil {
				f.refOff = append(f.refOff, uint32(len(f.refs)))
			}
			f.keys = append(f.keys, h)
		}
		f.refs = append(f.refs, ref)
	})
	if f.refOff != nil {
		f.refOff = append(f.refOff, uint32(len(f.refs)))
	}
	f.buildTables()
	return f
}

// maxKeys bounds entries and distinct hashes: offsets are uint32.
const maxKeys = 1<<32 - 1

// mergeEntries calls fn for every (hash, ref) of base and add in order of hash then ref; first
// is true for the first ref of each distinct hash.
func mergeEntries(base *frozen, add []entry, fn func(h uint64, ref int64, first bool)) {
	var keys []uint64
	if base != nil {
		keys = base.keys
	}
	last, started := uint64(0), false
	emit := func(h uint64, ref int64) {
		fn(h, ref, !started || h != last)
		last, started = h, true
	}
	j := 0
	for i, h := range keys {
		// Added entries that sort before this key, or with this key and a smaller ref.
		refs := base.refs[i : i+1]
		if base.refOff != nil {
			refs = base.refs[base.refOff[i]:base.refOff[i+1]]
		}
		for j < len(add) && add[j].hash < h {
			emit(add[j].hash, add[j].ref)
			j++
		}
		for _, ref := range refs {
			for j < len(add) && add[j].hash == h && add[j].ref < ref {
				emit(h, add[j].ref)
				j++
			}
			emit(h, ref)
		}
	}
	for ; j < len(add); j++ {
		emit(add[j].hash, add[j].ref)
	}
}

// buildTables fills the bucket offsets and tables from keys, one table per goroutine.
func (f *frozen) buildTables() {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k := range f.m {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			f.buildTable(k)
		})
	}
	wg.Wait()
}

// buildTable orders the keys by substring k into table[k] and fills its bucket offsets. For a
// wide substring it is a radix sort in two passes of half the substring each: one pass over 2^21
// buckets misses the cache on nearly every write, which made building 10 M keys three times
// slower. Being stable, it leaves the keys of a bucket ascending.
func (f *frozen) buildTable(k int) {
	w := uint(f.width[k])
	off := make([]uint32, 1<<w+1)
	f.off[k] = off
	if k == 0 {
		// keys are sorted by substring 0 already: only the offsets are needed.
		v := 0
		for i, h := range f.keys {
			for s := int(f.sub(h, 0)); v <= s; v++ {
				off[v] = uint32(i)
			}
		}
		for ; v <= 1<<w; v++ {
			off[v] = uint32(len(f.keys))
		}
		return
	}
	table := make([]uint64, len(f.keys))
	f.table[k] = table
	shift := uint(f.shift[k])
	if w <= 16 {
		countingSort(table, f.keys, shift, w, off)
		return
	}
	lowBits := w / 2
	buf := make([]uint64, len(f.keys))
	highStart := make([]uint32, 1<<(w-lowBits)+1)
	countingSort(buf, f.keys, shift+lowBits, w-lowBits, highStart)
	for hv := range len(highStart) - 1 {
		lo, hi := highStart[hv], highStart[hv+1]
		// The offsets of the buckets with these high bits, relative to lo.
		run := off[hv<<lowBits : (hv+1)<<lowBits+1]
		countingSort(table[lo:hi], buf[lo:hi], shift, lowBits, run)
		for i := range run[:len(run)-1] {
			run[i] += lo
		}
	}
	off[1<<w] = uint32(len(f.keys))
}

// countingSort copies src to dst stably ordered by the digit of bits bits from shift, and sets
// start[d] to where digit d's run begins and start[2^bits] to len(src).
func countingSort(dst, src []uint64, shift, bits uint, start []uint32) {
	mask := uint64(1)<<bits - 1
	clear(start)
	for _, h := range src {
		start[(h>>shift)&mask+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	for _, h := range src {
		d := (h >> shift) & mask
		dst[start[d]] = h
		start[d]++
	}
	// Each start[d] now holds the end of run d, which is where run d+1 begins.
	copy(start[1:], start[:len(start)-1])
	start[0] = 0
}
