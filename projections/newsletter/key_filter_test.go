package newsletter

import (
	"fmt"
	"testing"
)

func TestKeyFilterHoldsEveryKeyAddedAndFewOthers(t *testing.T) {
	t.Parallel()
	// given a filter of 200,000 keys (a rebuild of a million events)
	f := newKeyFilter()
	key := func(i int) entryKey { return entryKey{int64(i % 50), fmt.Sprint("reader", i, "@example.com")} }
	for i := range 200_000 {
		f.add(key(i))
	}
	// then every key added is held
	for i := range 200_000 {
		if !f.mayHold(key(i)) {
			t.Fatalf("key %d was added, the filter does not hold it", i)
		}
	}
	// and keys never added are held only by chance (about 1 in 150,000 at this size)
	wronglyHeld := 0
	for i := 200_000; i < 400_000; i++ {
		if f.mayHold(key(i)) {
			wronglyHeld++
		}
	}
	if wronglyHeld > 100 {
		t.Fatalf("%d of 200,000 keys never added are held", wronglyHeld)
	}
}
