package personaldata

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Events tells which fields of an event are personal and which events erase their subject
// (aggregates.Registry).
type Events interface {
	PersonalFields(name string) []string
	// PersonalPart names the member whose value names the part a personal field is sealed under ("" for
	// the stream's own key; see parts.go).
	PersonalPart(name, field string) string
	Erases(name string) bool
}

// Defaults of Config.
const (
	DefaultCacheSubjects = 10_000
	DefaultCacheTTL      = time.Minute
)

// ErrNotASubject is returned for an append of personal data to a stream that is not a data subject's: such
// data could never be erased.
var ErrNotASubject = errors.New("personaldata: personal data appended to a stream that is not a data subject's")

// Config configures Store.
type Config struct {
	// Subjects are the stream prefixes whose streams are data subjects ("customer-", "newsletter-"): each
	// such stream has keys of its own, and only such streams may hold personal data.
	Subjects []string
	// Events tells the personal fields and the erasures of every event type. Required.
	Events Events
	// CacheSubjects bounds how many subjects' keys stay in memory (default DefaultCacheSubjects);
	// CacheTTL is how long they may (default DefaultCacheTTL).
	CacheSubjects int
	CacheTTL      time.Duration
	// Now is the cache's clock; nil means time.Now.
	Now func() time.Time
}

// Store is an eventstore.Store that seals the personal fields of the events it appends under their data
// subject's key, and opens them again on every read (ReadStream, ReadAll, SubscribeAll), so commands,
// projections, rebuilds and tools see plaintext and need no change. Appending an erasure event shreds the
// subject's keys first; from then on the subject's personal fields read as JSON null (their zero value).
// Events stored in plaintext before sealing existed read as they are until their subject is erased, and as
// null afterwards.
//
// Opening is by shape (a "$sealed" object at the top level), so it works for every stored schema version
// and runs before the registry's upcasters. It wraps any adapter (PostgreSQL, EventStoreDB) and keeps its
// contract: streams that are not subjects pass through untouched.
type Store struct {
	inner eventstore.Store
	keys  *Keys
	cfg   Config
	cache *keyCache
}

// NewStore returns inner with sealing, keeping keys in keys.
func NewStore(inner eventstore.Store, keys *Keys, cfg Config) *Store {
	if cfg.CacheSubjects == 0 {
		cfg.CacheSubjects = DefaultCacheSubjects
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Store{inner: inner, keys: keys, cfg: cfg, cache: newKeyCache(cfg.CacheSubjects, cfg.CacheTTL, cfg.Now)}
}

// isSubject tells whether stream is a data subject's.
func (s *Store) isSubject(stream string) bool {
	for _, prefix := range s.cfg.Subjects {
		if strings.HasPrefix(stream, prefix) {
			return true
		}
	}
	return false
}

// Append seals the events' personal fields under the stream's current key and appends them. An erasure
// event shreds the stream's keys before it is appended, so it is never in the log while the data it erases
// is still readable; an interrupted erasure is finished by appending it again. An erasure cannot share an
// append with events that carry personal data.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	events, err := s.prepare(ctx, stream, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	return s.inner.Append(ctx, stream, expected, events...)
}

// prepare is what an append of events to stream writes: the events with their personal fields sealed, after
// an erasure's keys were shredded.
func (s *Store) prepare(ctx context.Context, stream string, events []eventstore.EventData) ([]eventstore.EventData, error) {
	erases, personal := false, false
	for _, e := range events {
		erases = erases || s.cfg.Events.Erases(e.Type)
		personal = personal || len(s.cfg.Events.PersonalFields(e.Type)) > 0
	}
	if erases && personal {
		return nil, fmt.Errorf("personaldata: %s: an erasure is appended alone", stream)
	}
	if erases {
		if !s.isSubject(stream) {
			return nil, fmt.Errorf("%w: erasure on %s", ErrNotASubject, stream)
		}
		if _, err := s.keys.shred(ctx, stream); err != nil {
			return nil, err
		}
		s.cache.evict(stream)
	}
	if personal {
		return s.seal(ctx, stream, events)
	}
	return events, nil
}

// seal returns copies of events with every personal field that carries something sealed under the stream's
// current key, or its part's (parts.go). The keys are read from PostgreSQL, never from the cache: a key
// shredded by another process a moment ago must not seal new data.
func (s *Store) seal(ctx context.Context, stream string, events []eventstore.EventData) ([]eventstore.EventData, error) {
	out := make([]eventstore.EventData, len(events))
	keys := map[string]sealingKey{}
	for i, e := range events {
		out[i] = e
		names := s.cfg.Events.PersonalFields(e.Type)
		if len(names) == 0 {
			continue
		}
		members, err := membersOf(e.Data)
		if err != nil {
			return nil, fmt.Errorf("%w: %s %s", err, stream, e.Type)
		}
		values := make([][]byte, len(members))
		changed := false
		for j, m := range members {
			value := e.Data[m.start:m.end]
			if !slices.Contains(names, m.name) || carriesNothing(value) {
				continue
			}
			if !s.isSubject(stream) {
				return nil, fmt.Errorf("%w: %s on %s", ErrNotASubject, e.Type, stream)
			}
			subject, part := stream, ""
			if member := s.cfg.Events.PersonalPart(e.Type, m.name); member != "" {
				if part, err = partSubject(stream, member, memberValue(e.Data, members, member)); err != nil {
					return nil, err
				}
				subject = part
			}
			key, ok := keys[subject]
			if !ok {
				if key.generation, key.aead, err = s.keys.current(ctx, subject); err != nil {
					return nil, err
				}
				keys[subject] = key
			}
			values[j] = sealFieldUnder(key.aead, key.generation, part, fieldAAD(subject, e.ID, m.name), value)
			changed = true
		}
		if changed {
			out[i].Data = replaceValues(e.Data, members, values)
		}
	}
	return out, nil
}

// ReadStream reads from the inner store and opens the events.
func (s *Store) ReadStream(ctx context.Context, stream string, direction eventstore.Direction, from eventstore.StreamFrom,
	limit int) ([]eventstore.RecordedEvent, error) {
	events, err := s.inner.ReadStream(ctx, stream, direction, from, limit)
	if err != nil {
		return nil, err
	}
	return events, s.open(ctx, events)
}

// ReadAll reads from the inner store and opens the events, with the keys of the whole page read at once.
func (s *Store) ReadAll(ctx context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := s.inner.ReadAll(ctx, from, limit)
	if err != nil {
		return nil, err
	}
	return events, s.open(ctx, events)
}

// SubscribeAll subscribes to the inner store and opens every event delivered.
func (s *Store) SubscribeAll(ctx context.Context, from eventstore.AllFrom, filter eventstore.Filter) (eventstore.Subscription, error) {
	sub, err := s.inner.SubscribeAll(ctx, from, filter)
	if err != nil {
		return nil, err
	}
	return &subscription{Subscription: sub, store: s}, nil
}

// Close closes the inner store.
func (s *Store) Close() error { return s.inner.Close() }

// subscription opens the events of an inner subscription.
type subscription struct {
	eventstore.Subscription
	store *Store
}

func (sub *subscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	m, err := sub.Subscription.Recv(ctx)
	if err != nil {
		return m, err
	}
	return sub.opened(ctx, m)
}

// TryRecv opens the message the inner subscription had ready. Warning: every method of the inner
// subscription that hands out events must be wrapped here; an embedded one would deliver them sealed.
func (sub *subscription) TryRecv(ctx context.Context) (eventstore.SubscriptionMessage, bool, error) {
	m, ok, err := sub.Subscription.TryRecv(ctx)
	if err != nil || !ok {
		return m, ok, err
	}
	m, err = sub.opened(ctx, m)
	return m, err == nil, err
}

// opened is m with its event's personal fields opened.
func (sub *subscription) opened(ctx context.Context, m eventstore.SubscriptionMessage) (eventstore.SubscriptionMessage, error) {
	if m.Event == nil {
		return m, nil
	}
	events := []eventstore.RecordedEvent{*m.Event}
	if err := sub.store.open(ctx, events); err != nil {
		return eventstore.SubscriptionMessage{}, err
	}
	m.Event = &events[0]
	return m, nil
}
