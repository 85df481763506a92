// Package replay finds earlier uses of a check-in's photos by other check-ins: the same bytes
// (SHA-256), or the same picture re-encoded, resized, slightly cropped or brightened (perceptual
// hashes within a Hamming distance). It keeps an in-memory near-duplicate index of every photo
// use's pHash, loaded from the store at first use and caught up before each search.
package replay

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/dupindex"
)

// Thresholds say when two perceptual hashes are the same picture: a candidate found by pHash is
// confirmed by its dHash, which cuts the false matches of look-alike scenes (dark dashboards).
type Thresholds struct {
	MaxPHashDistance int
	MaxDHashDistance int
}

// Finder finds replays. It is safe for concurrent use; one per process.
type Finder struct {
	store milepost.PhotoUseStore
	th    Thresholds

	mu    sync.Mutex // serializes catching up
	index *dupindex.Index
	last  int64 // the highest Seq in the index
}

// New returns a Finder over store.
func New(store milepost.PhotoUseStore, th Thresholds) *Finder {
	return &Finder{store: store, th: th, index: dupindex.New()}
}

// batch is how many uses one catch-up query reads.
const batch = 10_000

// catchUp adds every use recorded since the last call to the index. Uses are numbered in
// commit order (see sqlstore), so reading past the highest Seq seen misses nothing.
func (f *Finder) catchUp(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		uses, err := f.store.PhotoUsesSince(ctx, f.last, batch)
		if err != nil {
			return fmt.Errorf("load photo uses: %w", err)
		}
		entries := make([]dupindex.Entry, 0, len(uses))
		for _, u := range uses {
			if u.PHash != nil {
				entries = append(entries, dupindex.Entry{Ref: u.Seq, Hash: *u.PHash})
			}
			f.last = max(f.last, u.Seq)
		}
		f.index.AddBatch(entries)
		if len(uses) < batch {
			return nil
		}
	}
}

// IndexSize is the number of hashes in the index.
func (f *Finder) IndexSize() int { return f.index.Len() }

// maxPerPhoto bounds the matches reported for one photo (the earliest ones), and
// maxCandidates the nearest candidates fetched from the store to confirm: a photo near a very
// common hash (an all-black picture) could otherwise match hundreds of thousands.
const (
	maxPerPhoto   = 5
	maxCandidates = 64
)

// FindReplays returns, for each photo of the check-in, the earlier uses of the same picture by
// other check-ins (earliest first, at most a few per photo). A photo re-submitted in the change
// flow of the same check-in is not a replay.
func (f *Finder) FindReplays(ctx context.Context, checkinID string) ([]milepost.PhotoMatch, error) {
	if err := f.catchUp(ctx); err != nil {
		return nil, err
	}
	own, err := f.store.PhotoUsesOf(ctx, checkinID)
	if err != nil {
		return nil, fmt.Errorf("photo uses of %s: %w", checkinID, err)
	}
	var out []milepost.PhotoMatch
	for _, u := range own {
		found, err := f.matches(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// matches finds the earlier uses of one photo by other check-ins.
func (f *Finder) matches(ctx context.Context, u milepost.PhotoUse) ([]milepost.PhotoMatch, error) {
	exact, err := f.store.PhotoUsesBySHA256(ctx, u.SHA256)
	if err != nil {
		return nil, fmt.Errorf("photo uses by hash: %w", err)
	}
	var out []milepost.PhotoMatch
	seen := map[int64]bool{}
	for _, e := range exact {
		if e.CheckinID != u.CheckinID && e.Seq < u.Seq {
			out = append(out, milepost.PhotoMatch{UploadID: u.UploadID, Earlier: e, Exact: true})
			seen[e.Seq] = true
		}
	}
	if u.PHash != nil && u.DHash != nil {
		var seqs []int64
		for m := range f.index.NearSeq(*u.PHash, f.th.MaxPHashDistance) {
			if m.Ref < u.Seq && !seen[m.Ref] {
				seqs = append(seqs, m.Ref)
				if len(seqs) == maxCandidates {
					break
				}
			}
		}
		if len(seqs) > 0 {
			cands, err := f.store.PhotoUsesBySeq(ctx, seqs)
			if err != nil {
				return nil, fmt.Errorf("photo uses by seq: %w", err)
			}
			for _, c := range cands {
				if c.CheckinID == u.CheckinID || c.PHash == nil || c.DHash == nil {
					continue
				}
				pd, dd := bits.OnesCount64(*c.PHash^*u.PHash), bits.OnesCount64(*c.DHash^*u.DHash)
				if dd <= f.th.MaxDHashDistance {
					out = append(out, milepost.PhotoMatch{UploadID: u.UploadID, Earlier: c, PHashDistance: pd, DHashDistance: dd})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b milepost.PhotoMatch) int { return cmp.Compare(a.Earlier.Seq, b.Earlier.Seq) })
	if len(out) > maxPerPhoto {
		out = out[:maxPerPhoto]
	}
	return out, nil
}
