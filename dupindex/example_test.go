package dupindex_test

import (
	"fmt"

	"github.com/milepost/milepost/dupindex"
)

// The replay check: is a new photo within 10 bits of one used earlier? Entries are photo uses
// keyed by their sequence number; the new photo's own use (seq 12) must not count, and neither
// may later ones, so the search skips refs from 12 on and stops at the first earlier use.
func Example() {
	x := dupindex.New()
	x.AddBatch([]dupindex.Entry{ // loaded from the database at startup
		{Ref: 3, Hash: 0xf0f0_0000_1234_5678},
		{Ref: 7, Hash: 0x0123_4567_89ab_cdef},
	})
	x.Add(12, 0xf0f0_0000_1234_56ff) // the new check-in's photo

	for m := range x.NearSeq(0xf0f0_0000_1234_56ff, 10) {
		if m.Ref >= 12 {
			continue
		}
		fmt.Printf("replay of use %d (%d bits apart)\n", m.Ref, m.Dist)
		break
	}
	fmt.Println(x.Near(0xf0f0_0000_1234_56ff, 10))
	// Output:
	// replay of use 3 (4 bits apart)
	// [{12 0} {3 4}]
}
