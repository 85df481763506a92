// Package dupindex finds near-duplicate photos: an in-memory index of 64-bit perceptual hashes
// (pHash) answering "which earlier entries are within Hamming distance r of this hash?" without
// scanning every hash.
//
// It uses multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with
// Multi-Index Hashing", CVPR 2012): the 64 bits are cut into m disjoint substrings, each with its
// own table. Two hashes within distance r agree within distance ⌊r/m⌋ on at least one substring
// (pigeonhole), so probing every table with the substring values near the query's finds every
// match; candidates are confirmed with a popcount. Searching radius by radius (see
// Index.NearSeq) returns matches nearest first and lets a caller stop at the first one.
//
// Identical hashes are stored once with all their refs, so very common hashes (black or blank
// photos) cost one comparison, not one per photo. A query whose probes would cost more than
// reading every hash reads every hash instead, which bounds the worst case on skewed data.
//
// docs/duplicate-index.md has the design, the measured numbers and how the server uses it.
package dupindex
