package commands

import (
	"container/list"
	"sync"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// stateCacheSize bounds how many streams' folded states the process keeps. An entry is one aggregate's
// state (a customer with its addresses and recent tokens is a few KiB), so the bound is tens of MiB at most.
const stateCacheSize = 10_000

// recentIDs is how many of a stream's last event ids a cached entry remembers, so a command retried after
// its events landed is still recognised without reading the stream from its start (see load). A retry
// after more than this many newer events on the same stream is decided again: the Idempotency-Key answers
// cover that case for HTTP clients, and decide functions are idempotent where it matters.
const recentIDs = 64

// states caches folded aggregate states for the whole process, so a command reads only the events appended
// since the last time this process folded the stream (the tail) instead of the whole history.
//
// It is always correct to use, because load always reads the tail from the store: the cache only saves
// the fold of what is already known. The one reader that skips the tail, a command every process decides
// alike or one whose id is new (Envelope.decidesOnCache, fromCache), lets its append, which expects the
// cached revision, tell it the cache was behind. An entry is keyed by the store as well as the stream, so two stores in
// one process (tests, tools) never share states.
//
// Warning: cached states are shared between goroutines. They are safe only because every Evolve copies a
// slice or map before changing it and decide functions never modify their state argument; an Evolve that
// changes a slice or map in place would corrupt concurrent commands (the race detector reports it in the
// concurrent command tests).
var states = newStateCache(stateCacheSize)

// cachedHistory is what the cache keeps of a folded stream.
type cachedHistory struct {
	// state is the aggregate's S, folded up to and including last.
	state any
	last  Result
	// lastID is the id of the event at last.Revision: a tail read starts there and must find it again,
	// which proves the cached prefix is still the stream's.
	lastID uuid.UUID
	// recent are the ids and results of the stream's last events (at most recentIDs), oldest first.
	recent []landedEvent
}

// landedEvent is one event of a stream, as the landed-command check needs it.
type landedEvent struct {
	id     uuid.UUID
	result Result
}

type cacheKey struct {
	store  eventstore.Store
	stream string
}

// stateCache is a least-recently-used map from (store, stream) to cachedHistory, safe for concurrent use.
type stateCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front: most recently used; values are *cacheItem
	entries map[cacheKey]*list.Element
}

type cacheItem struct {
	key     cacheKey
	history cachedHistory
}

func newStateCache(max int) *stateCache {
	return &stateCache{max: max, order: list.New(), entries: map[cacheKey]*list.Element{}}
}

// get returns the cached history of a stream, if any.
func (c *stateCache) get(store eventstore.Store, stream string) (cachedHistory, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[cacheKey{store, stream}]
	if !ok {
		return cachedHistory{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheItem).history, true
}

// put records a stream's history unless the cache already holds a later revision of it (a concurrent load
// that read further wins).
func (c *stateCache) put(store eventstore.Store, stream string, h cachedHistory) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := cacheKey{store, stream}
	if el, ok := c.entries[key]; ok {
		item := el.Value.(*cacheItem)
		if item.history.last.Revision <= h.last.Revision {
			item.history = h
		}
		c.order.MoveToFront(el)
		return
	}
	c.entries[key] = c.order.PushFront(&cacheItem{key: key, history: h})
	if c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*cacheItem).key)
	}
}

// drop forgets a stream, e.g. when the store no longer holds the cached prefix.
func (c *stateCache) drop(store eventstore.Store, stream string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := cacheKey{store, stream}
	if el, ok := c.entries[key]; ok {
		c.order.Remove(el)
		delete(c.entries, key)
	}
}
