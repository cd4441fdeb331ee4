package newsletter

import (
	"hash/maphash"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// newRebuildBatch is applyBatch for one rebuild (projections.Projection.RebuildBatch): its batches share a
// filter of every key they stored a row for, and Load asks PostgreSQL only for the keys the filter may hold.
// A rebuild's fresh tables start empty and nothing but the rebuild writes them, so a key it never stored
// has no row. Most keys of a rebuild's batch are new to the table (an entry's events follow each other in
// the log): probing them all was about 10 ms of a 10,000-event batch, a sixth of a rebuild's PostgreSQL CPU.
//
// Warning: never give such a batch to the running projection, whose tables may hold rows ahead of its
// checkpoint: a row it was not told about would be numbered and inserted again.
func newRebuildBatch(copyAtLeast int) projections.BatchFunc {
	stored := newKeyFilter()
	return projections.FoldBatch(func() projections.Folder {
		b := newBatch(copyAtLeast)
		b.storedBefore = stored
		return b
	})
}

// keyFilter is a Bloom filter of entry keys: mayHold is true for every key added, and for a key never added
// only by chance. A fixed 4 MiB with three bits a key: about 1 key in 150,000 wrongly held at 200,000 keys,
// 1 in 200 at 2 million, 1 in 5 at 10 million. A key wrongly held costs the probe every key cost without
// the filter, so a filter past its size is slower, never wrong.
//
// Not safe for concurrent use (a rebuild applies its batches one after the other).
type keyFilter struct {
	words []uint64
	seed  maphash.Seed
}

const (
	keyFilterBits   = 1 << 25 // a power of two: bit positions are taken by masking
	keyFilterHashes = 3
)

func newKeyFilter() *keyFilter {
	return &keyFilter{words: make([]uint64, keyFilterBits/64), seed: maphash.MakeSeed()}
}

// add makes mayHold true for k from now on.
func (f *keyFilter) add(k entryKey) {
	h, step := f.hashes(k)
	for range keyFilterHashes {
		bit := h & (keyFilterBits - 1)
		f.words[bit/64] |= 1 << (bit % 64)
		h += step
	}
}

// mayHold reports false only for a key never added.
func (f *keyFilter) mayHold(k entryKey) bool {
	h, step := f.hashes(k)
	for range keyFilterHashes {
		bit := h & (keyFilterBits - 1)
		if f.words[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
		h += step
	}
	return true
}

// hashes are the start and the odd step of k's bit positions (double hashing from one 64-bit hash).
func (f *keyFilter) hashes(k entryKey) (start, step uint64) {
	h := maphash.Comparable(f.seed, k)
	return h, h>>32 | 1
}
