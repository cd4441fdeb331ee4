package projections

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestKeyedChangesAreReadWithoutTheTrackersLock: a cached shop reads the stock projection's counts on every
// request, so the read must not queue behind the tracker's lock, which the projection's commits and every
// read-your-writes waiter take.
func TestKeyedChangesAreReadWithoutTheTrackersLock(t *testing.T) {
	t.Parallel()
	// given a tracker that counted three changes, two of key 5, and whose lock is held
	tr := newTracker("stock.v1")
	tr.advanced(eventstore.Position{Commit: 1, Prepare: 1}, time.Now(), 3, []int64{5, 5, 8})
	tr.mu.Lock()
	defer tr.mu.Unlock()
	// when the counts of key 5 are read
	read := make(chan [2]uint64, 1)
	go func() {
		all, these := tr.changes.read([]int64{5})
		read <- [2]uint64{all, these}
	}()
	// then they are answered at once
	select {
	case got := <-read:
		if got != [2]uint64{3, 2} {
			t.Errorf("changes.read([5]) = %v, want all 3, these 2", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("changes.read waited for the tracker's lock")
	}
}
