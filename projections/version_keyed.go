package projections

import (
	"sync"
	"sync/atomic"
)

// KeyedDataVersion is DataVersion of one projection (all) together with how many of its changes had one of
// keys (see Projection.ChangeKey), both read at one instant. A cache of one part of the read model (the
// shop of one site, keyed by its SKUs) keeps its answer while these stays where it was, so a change elsewhere
// does not drop it; comparing all before and after a load tells whether a change landed meanwhile. Without
// keys it reads all alone, lock-free. A projection this runner does not run, or without a ChangeKey, counts
// these as 0.
func (r *Runner) KeyedDataVersion(name string, keys []int64) (all, these uint64) {
	run, ok := r.byName[name]
	if !ok {
		return 0, 0
	}
	return run.tracker.changes.read(keys)
}

// changeCounts counts the events of a type a projection handles that reached its checkpoint: all of them
// (lock-free, read by every cached request) and by the key its ChangeKey gives them. It has a lock of its
// own, apart from the tracker's, which the projection's commits and every read-your-writes waiter take: a
// cache reading it on each request queues behind neither.
//
// Memory: byKey keeps one counter (a map entry of two words) for every key a change ever had in the process's
// life and never drops one; for the stock projection that is every SKU sold, held or restocked since the
// process started, so it is bounded by the catalog's SKUs (a million SKUs: some tens of MB), and a restart
// empties it.
type changeCounts struct {
	mu    sync.RWMutex
	all   atomic.Uint64
	byKey map[int64]uint64
}

// add counts handled changes, keys being the key of each that has one. all moves under the lock with the
// keys, so a read under it sees both or neither.
func (c *changeCounts) add(handled int, keys []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, key := range keys {
		if c.byKey == nil {
			c.byKey = map[int64]uint64{}
		}
		c.byKey[key]++
	}
	c.all.Add(uint64(handled))
}

// read is all the changes, and the sum of those of keys, at one instant; without keys, all alone without
// the lock.
func (c *changeCounts) read(keys []int64) (all, these uint64) {
	if len(keys) == 0 {
		return c.all.Load(), 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, key := range keys {
		these += c.byKey[key]
	}
	return c.all.Load(), these
}
