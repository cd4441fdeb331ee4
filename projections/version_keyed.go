package projections

// KeyedDataVersion is DataVersion of one projection (all) together with how many of its changes had one of
// keys (see Projection.ChangeKey), both read at one instant. A cache of one part of the read model (the
// shop of one site, keyed by its SKUs) keeps its answer while these stays where it was, so a change elsewhere
// does not drop it; comparing all before and after a load tells whether a change landed meanwhile. A
// projection this runner does not run, or without a ChangeKey, counts these as 0.
func (r *Runner) KeyedDataVersion(name string, keys []int64) (all, these uint64) {
	run, ok := r.byName[name]
	if !ok {
		return 0, 0
	}
	return run.tracker.keyedChanges(keys)
}

// keyedChanges are dataChanges and the sum of keyChanges over keys, under the lock advanced holds while it
// moves both.
func (t *tracker) keyedChanges(keys []int64) (all, these uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, key := range keys {
		these += t.keyChanges[key]
	}
	return t.dataChanges.Load(), these
}
