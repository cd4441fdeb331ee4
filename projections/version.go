package projections

// DataVersion is a number that changes whenever one of the named projections run by this runner reached an
// event its handlers handle — applied here, or already applied by another process running the same
// projection. Caches of those read models (queries.CachedCatalog) keep an answer only while it holds, so they
// never serve an answer older than the last event this process saw applied. It never decreases. It says nothing about
// projections this runner does not run (they count as 0) and restarts from 0 with the process.
func (r *Runner) DataVersion(projectionNames ...string) uint64 {
	var version uint64
	for _, name := range projectionNames {
		if run, ok := r.byName[name]; ok {
			version += run.tracker.changes.all.Load() // lock-free: it is read on every cached catalog request
		}
	}
	return version
}
