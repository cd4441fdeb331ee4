package commands

import (
	"context"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// billingReadsFreshFor is how long a stream the billing run read stays good for its checks without a
// read of its own (loadRecent): a subscription read ahead with its claimed batch, its customer and its
// wallet, read ahead or by an earlier renewal of the same customer.
//
// It is the staleness bound of the run's checks, for changes made by another process (this process's own
// writes update the state cache, which a recent read defers to). The age is checked when a check starts,
// not when the gateway is asked: a card removed (or made unchargeable) at instant T is never charged by a
// renewal whose card check starts after T + billingReadsFreshFor; between T and that, a renewal may still
// charge it, as one whose check came a moment before T could before. The customer check of an invoice
// opened by the run (Invoices.creation) has the same window: a customer erased at T (an erasure writes to
// the customer's stream only; no command moves a customer to another account) may still have a renewal's
// invoice opened, and charged, by a check that starts before T + billingReadsFreshFor.
//
// The subscription itself is never decided on a read older than its append's guard: its read-ahead decides
// only what readAheadDecides allows (every write pinned to the revision read), anything else is read from
// the log first. Warning: raising the bound widens the card and customer windows.
const billingReadsFreshFor = 250 * time.Millisecond

// recentReads remembers when the billing run last read each stream from the store and where the stream
// stood then, so the run's later loads of it within the bound take the state cache's fold for fresh
// instead of reading the tail again. Safe for concurrent use.
type recentReads struct {
	bound time.Duration
	// now is the clock the reads are timed by (time.Now; a test's own).
	now   func() time.Time
	mu    sync.Mutex
	reads map[cacheKey]recentRead
	// notes counts the notes since the last prune of expired entries (they are never used again).
	notes int
}

// recentRead is one stream's last read: begun at at, it found the stream at revision.
type recentRead struct {
	at       time.Time
	revision uint64
}

// pruneEvery is how many notes go by between two prunes of the expired entries, which keeps a long run's
// map to the streams of its last moments.
const pruneEvery = 1024

type recentReadsKey struct{}

// withRecentReads returns ctx carrying a set of recent reads (the one it carries already, if any).
func withRecentReads(ctx context.Context, bound time.Duration) (context.Context, *recentReads) {
	if recent, ok := ctx.Value(recentReadsKey{}).(*recentReads); ok {
		return ctx, recent
	}
	recent := &recentReads{bound: bound, now: time.Now, reads: map[cacheKey]recentRead{}}
	return context.WithValue(ctx, recentReadsKey{}, recent), recent
}

// note records that a read begun at at found stream at revision (a later note of an older read is ignored).
func (r *recentReads) note(store eventstore.Store, stream string, revision uint64, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := cacheKey{store, stream}
	if old, ok := r.reads[key]; ok && old.at.After(at) {
		return
	}
	r.reads[key] = recentRead{at: at, revision: revision}
	if r.notes++; r.notes >= pruneEvery {
		r.notes = 0
		for k, read := range r.reads {
			if r.now().Sub(read.at) > r.bound {
				delete(r.reads, k)
			}
		}
	}
}

// fresh reports whether stream was read within the last age (at most the bound): the revision it stood at
// then, and true.
func (r *recentReads) fresh(store eventstore.Store, stream string, age time.Duration) (uint64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	read, ok := r.reads[cacheKey{store, stream}]
	if !ok || r.now().Sub(read.at) > min(age, r.bound) {
		return 0, false
	}
	return read.revision, true
}

// loadRecent is load for a check of the billing run (ctx carries recentReads): a stream read within the
// bound is folded from the state cache without a read, when the cache holds it at the revision that read
// found or later (a later one is this process's own append, or a later read: fresher still). Otherwise, and
// under a ctx without recent reads, it loads and notes the read.
//
// Warning: use it only where a state as old as the bound is acceptable (see billingReadsFreshFor), never for
// a retry after a lost append or a refusal, which must read the log.
func loadRecent[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream string) (history[S], error) {
	recent, ok := ctx.Value(recentReadsKey{}).(*recentReads)
	if !ok {
		return load(ctx, store, agg, stream, "")
	}
	if h, ok := recentFold[S](store, recent, stream, recent.bound); ok {
		return h, nil
	}
	began := recent.now()
	h, err := load(ctx, store, agg, stream, "")
	if err == nil && h.exists {
		recent.note(store, stream, h.last.Revision, began)
	}
	return h, err
}

// recentFold is the state cache's fold of stream when the stream was read within the last age and the
// cache holds it at the revision that read found or later.
func recentFold[S any](store eventstore.Store, recent *recentReads, stream string, age time.Duration) (history[S], bool) {
	revision, ok := recent.fresh(store, stream, age)
	if !ok {
		return history[S]{}, false
	}
	cached, ok := states.get(store, stream)
	if !ok || cached.last.Revision < revision {
		return history[S]{}, false
	}
	if _, isS := cached.state.(S); !isS {
		return history[S]{}, false
	}
	h, _ := seeded[S](stream, "", cached)
	h.unread = true // the tail is not read: BillDue tells a read-ahead from the log's state by it
	return h, true
}

// unread are the streams among streams not read within the last age.
func (r *recentReads) unread(store eventstore.Store, streams []string, age time.Duration) []string {
	out := make([]string, 0, len(streams))
	for _, stream := range streams {
		if _, ok := r.fresh(store, stream, age); !ok {
			out = append(out, stream)
		}
	}
	return out
}
