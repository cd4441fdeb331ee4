package personaldata

import (
	"container/list"
	"sync"
	"time"
)

// keyCache keeps the unwrapped keys of recently read subjects, so reading a stream does not query
// PostgreSQL per event. It is bounded (least recently used entries go first) and every entry expires after
// ttl: an erasure made by another process stops being read with a cached key at the latest then, and as soon
// as this process reads the erasure event (Store evicts the subject on sight).
type keyCache struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	entries map[string]*list.Element
	order   *list.List // front: most recently used
	// evictions counts evict calls: a fill whose lookup started before one may hold keys read before an
	// erasure, and is dropped (see put).
	evictions uint64
	// flights are the lookups in progress, by subject (see plan).
	flights map[string]*keyFlight
}

type cacheEntry struct {
	subject   string
	keys      *subjectKeys
	fetchedAt time.Time
}

func newKeyCache(maxSubjects int, ttl time.Duration, now func() time.Time) *keyCache {
	return &keyCache{max: maxSubjects, ttl: ttl, now: now, entries: map[string]*list.Element{}, order: list.New(),
		flights: map[string]*keyFlight{}}
}

// getLocked returns the subject's cached keys, if present and not expired; c.mu is held (see plan).
func (c *keyCache) getLocked(subject string) (*subjectKeys, bool) {
	el, ok := c.entries[subject]
	if !ok {
		return nil, false
	}
	entry := el.Value.(*cacheEntry)
	if c.now().Sub(entry.fetchedAt) >= c.ttl {
		c.order.Remove(el)
		delete(c.entries, subject)
		return nil, false
	}
	c.order.MoveToFront(el)
	return entry.keys, true
}

// epoch is the eviction count to pass to put for keys looked up from now on.
func (c *keyCache) epoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictions
}

// put caches keys looked up after epoch was read, unless an eviction happened since: those keys may predate
// an erasure.
func (c *keyCache) put(epoch uint64, found map[string]*subjectKeys) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(epoch, found)
}

// putLocked is put with c.mu held.
func (c *keyCache) putLocked(epoch uint64, found map[string]*subjectKeys) {
	if epoch != c.evictions || c.max <= 0 {
		return
	}
	now := c.now()
	for subject, keys := range found {
		if el, ok := c.entries[subject]; ok {
			el.Value = &cacheEntry{subject: subject, keys: keys, fetchedAt: now}
			c.order.MoveToFront(el)
			continue
		}
		c.entries[subject] = c.order.PushFront(&cacheEntry{subject: subject, keys: keys, fetchedAt: now})
		for c.order.Len() > c.max {
			oldest := c.order.Back()
			c.order.Remove(oldest)
			delete(c.entries, oldest.Value.(*cacheEntry).subject)
		}
	}
}

// evict forgets the subject's keys (it was just erased).
func (c *keyCache) evict(subject string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evictions++
	if el, ok := c.entries[subject]; ok {
		c.order.Remove(el)
		delete(c.entries, subject)
	}
}
