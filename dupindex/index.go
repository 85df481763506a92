package dupindex

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Entry is one indexed hash: Ref is the caller's id for it (a photo use's sequence number, say)
// and Hash its 64-bit perceptual hash.
type Entry struct {
	Ref  int64
	Hash uint64
}

// Index is a near-duplicate index of 64-bit hashes. It is safe for concurrent use: searches
// never wait for writers or for each other, and writers wait only for each other.
//
// An index holds a frozen part (built by AddBatch or by a rebuild) and a tail of recent
// additions that searches scan. When the tail grows past a limit, Add rebuilds the frozen part
// in a goroutine of its own; searches go on meanwhile against the previous one.
//
// Memory is 8 bytes per entry for its ref plus 8 bytes per distinct hash and substring (the
// sorted hashes, and a copy per further table), 4 more per distinct hash when some hashes
// repeat, and the bucket offsets: 4 substrings up to about 8 M distinct hashes (40 bytes per
// entry, plus 1 MiB), 3 beyond (32 bytes, plus 32 MiB). So about 41 bytes per entry at 1 M
// entries and 35 at 10 M. A rebuild holds the old and the new frozen part at once, and AddBatch
// also a sorted copy of its entries.
type Index struct {
	mu         sync.Mutex // serialises writers; searches only load view
	view       atomic.Pointer[view]
	substrings int           // 0 chooses at each rebuild
	rebuilding chan struct{} // non-nil while a rebuild runs; closed when it ends

	// Test hooks: minTail overrides the smallest tail that starts a rebuild, and probeOnly
	// disables the switch to a full scan so tests exercise probing at every radius.
	minTail   int
	probeOnly bool
}

// view is what a search sees: a frozen part and the tail added since it was built. Writers
// publish a new view for every change. The tail is shared with later views, which only append
// past its length, so a view's elements never change.
type view struct {
	base *frozen // nil until the first rebuild
	tail []entry
}

func (v *view) len() int {
	n := len(v.tail)
	if v.base != nil {
		n += len(v.base.refs)
	}
	return n
}

// Option configures New.
type Option func(*Index)

// WithSubstrings fixes the number of substrings, between 3 and 16, instead of choosing it from
// the number of distinct hashes at each rebuild. More substrings mean narrower tables, fewer
// probes but more candidates per probe, and 8 more bytes per hash for each table.
func WithSubstrings(m int) Option {
	if m < minSubstrings || m > maxSubstrings {
		panic(fmt.Sprintf("dupindex: %d substrings, want %d to %d", m, minSubstrings, maxSubstrings))
	}
	return func(x *Index) { x.substrings = m }
}

// New returns an empty index. The zero Index is an empty index too, with the default options.
func New(opts ...Option) *Index {
	x := &Index{}
	for _, o := range opts {
		o(x)
	}
	return x
}

// current returns the view searches and writers start from.
func (x *Index) current() *view {
	if v := x.view.Load(); v != nil {
		return v
	}
	return &view{}
}

// Len returns the number of entries, counting every ref of a repeated hash.
func (x *Index) Len() int {
	return x.current().len()
}

// Add adds one entry. It is visible to searches that start after Add returns. Add does not look
// for an existing entry: the same ref added twice is found twice.
func (x *Index) Add(ref int64, hash uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	v := x.current()
	nv := &view{base: v.base, tail: append(v.tail, entry{hash, ref})}
	x.view.Store(nv)
	x.startRebuild(nv)
}

// startRebuild starts a background rebuild of v, the current view, if its tail has reached the
// limit and none is running. x.mu must be held.
func (x *Index) startRebuild(v *view) {
	if len(v.tail) >= x.tailLimit(v.base) && x.rebuilding == nil {
		done := make(chan struct{})
		x.rebuilding = done
		go x.rebuild(v, nil, done)
	}
}

// AddBatch adds entries, as Add would one by one, without the cost of rebuilding the index
// for every few thousand of them. A batch at least as large as the index (the first load at
// startup) is merged before AddBatch returns, in about a second for 10 M entries, and a
// concurrent search sees either none of it or all. A smaller batch joins the recent additions
// like Add's and is merged in the background; a caller loading page by page makes the index
// rebuild only when it has about doubled, so loading stays linear. The entries are visible when
// AddBatch returns. AddBatch neither keeps nor changes the slice.
func (x *Index) AddBatch(entries []Entry) {
	if len(entries) == 0 {
		return
	}
	x.mu.Lock()
	v := x.current()
	frozen := v.len() - len(v.tail)
	if len(v.tail)+len(entries) >= max(x.tailLimit(v.base), frozen) {
		x.mu.Unlock()
		x.lockIdle()
		done := make(chan struct{})
		x.rebuilding = done
		v = x.current()
		x.mu.Unlock()
		x.rebuild(v, entries, done)
		return
	}
	defer x.mu.Unlock()
	tail := v.tail
	for _, e := range entries {
		tail = append(tail, entry{e.Hash, e.Ref})
	}
	nv := &view{base: v.base, tail: tail}
	x.view.Store(nv)
	x.startRebuild(nv)
}

// rebuild merges v's tail and extra into a new frozen part, then publishes it with whatever was
// added to the tail meanwhile. It runs without the lock, so writers only wait for the swap.
func (x *Index) rebuild(v *view, extra []Entry, done chan struct{}) {
	add := make([]entry, len(v.tail), len(v.tail)+len(extra))
	copy(add, v.tail)
	for _, e := range extra {
		add = append(add, entry{e.Hash, e.Ref})
	}
	sortEntries(add)
	base := newFrozen(v.base, add, x.substrings)

	x.mu.Lock()
	defer x.mu.Unlock()
	cur := x.current()
	rest := append([]entry(nil), cur.tail[len(v.tail):]...)
	nv := &view{base: base, tail: rest}
	x.view.Store(nv)
	x.rebuilding = nil
	close(done)
	// If additions outran the rebuild, start the next one now rather than at the next Add.
	x.startRebuild(nv)
}

// lockIdle locks x.mu once no rebuild is running. One rebuild at a time: each starts from the
// previous one's result.
func (x *Index) lockIdle() {
	x.mu.Lock()
	for x.rebuilding != nil {
		done := x.rebuilding
		x.mu.Unlock()
		<-done
		x.mu.Lock()
	}
}

// wait returns when no rebuild is running (for tests and benchmarks).
func (x *Index) wait() {
	x.lockIdle()
	x.mu.Unlock()
}

// tailLimit is the tail length that starts a rebuild. Every search scans the tail, and every
// rebuild costs time proportional to the whole index, so the limit grows with the index to keep
// rebuilds cheap per entry (a 1/1024 share) but is capped to keep scans short (16 Ki entries,
// about 10 µs).
func (x *Index) tailLimit(base *frozen) int {
	if x.minTail > 0 {
		return x.minTail
	}
	n := 0
	if base != nil {
		n = len(base.refs)
	}
	return min(max(n/1024, 4096), 16384)
}

// Stats describes an index's size.
type Stats struct {
	Entries    int   // entries, as Len
	Distinct   int   // distinct hashes in the frozen part
	Tail       int   // entries added since the last rebuild, scanned by every search
	Substrings int   // substrings of the frozen part (0 before the first rebuild)
	Bytes      int64 // memory held, excluding a rebuild in progress
}

// Stats returns the index's current size.
func (x *Index) Stats() Stats {
	v := x.current()
	s := Stats{Entries: v.len(), Tail: len(v.tail), Bytes: 16 * int64(cap(v.tail))}
	if v.base != nil {
		s.Distinct, s.Substrings = len(v.base.keys), v.base.m
		s.Bytes += v.base.bytes()
	}
	return s
}
