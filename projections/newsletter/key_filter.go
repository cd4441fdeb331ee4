package newsletter

import "hash/maphash"

// keyFilter is a Bloom filter of entry keys: mayHold is true for every key added, and for a key never added
// only by chance. A fixed 4 MiB with three bits a key: about 1 key in 20,000 wrongly held at 200,000 keys,
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
