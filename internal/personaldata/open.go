package personaldata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrMissingKey is returned for a sealed value whose key is neither stored nor recorded as erased: the keys
// tables do not belong to this event store (another database, a restored backup missing recent keys). It
// is never read as null, since that would erase data silently.
var ErrMissingKey = errors.New("personaldata: no key for a sealed value that was not erased")

// open opens the personal fields of events in place. Erasure events in the page evict their subject first,
// so the page's earlier events of that subject are opened with what PostgreSQL says now; the keys of every
// subject the page needs and the cache lacks are read in one query.
func (s *Store) open(ctx context.Context, events []eventstore.RecordedEvent) error {
	need := make([]bool, len(events))
	var subjects []string
	for i, e := range events {
		if !s.isSubject(e.StreamID) {
			continue
		}
		if s.cfg.Events.Erases(e.Type) {
			s.cache.evict(e.StreamID)
			continue
		}
		if !bytes.Contains(e.Data, sealedMarker) && !mayHoldPersonalFields(e.Data, s.cfg.Events.PersonalFields(e.Type)) {
			continue
		}
		need[i] = true
		if !slices.Contains(subjects, e.StreamID) {
			subjects = append(subjects, e.StreamID)
		}
	}
	if len(subjects) == 0 {
		return nil
	}
	keys, err := s.keysOf(ctx, subjects)
	if err != nil {
		return err
	}
	parts := map[string]*subjectKeys{}
	if names := partsOf(events, need); len(names) > 0 {
		if parts, err = s.keys.lookup(ctx, names); err != nil { // never cached (parts.go)
			return err
		}
	}
	for i := range events {
		if !need[i] {
			continue
		}
		e := &events[i]
		missing, err := s.openEvent(e, keys[e.StreamID], parts)
		if missing && err == nil { // a generation made since the keys were cached: read them again, once
			var fresh map[string]*subjectKeys
			if fresh, err = s.lookup(ctx, []string{e.StreamID}); err == nil {
				keys[e.StreamID] = fresh[e.StreamID]
				missing, err = s.openEvent(e, keys[e.StreamID], parts)
			}
		}
		if err == nil && missing {
			err = ErrMissingKey
		}
		if err != nil {
			return fmt.Errorf("personaldata: event %s (%s revision %d): %w", e.ID, e.StreamID, e.Revision, err)
		}
	}
	return nil
}

// keysOf returns the keys of subjects: from the cache, from a lookup another reader has in flight for
// them, or else read at once (and cached). A reader whose flight failed (its owner's context ended) looks
// the subject up itself.
func (s *Store) keysOf(ctx context.Context, subjects []string) (map[string]*subjectKeys, error) {
	plan := s.cache.plan(subjects)
	keys := plan.cached
	if plan.flight != nil {
		found, err := s.lookUpInFlight(ctx, plan.flight, plan.mine)
		if err != nil {
			return nil, err
		}
		maps.Copy(keys, found)
	}
	var retry []string
	for subject, flight := range plan.joined {
		select {
		case <-flight.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if flight.err != nil {
			retry = append(retry, subject)
			continue
		}
		keys[subject] = flight.found[subject]
	}
	if len(retry) == 0 {
		return keys, nil
	}
	found, err := s.lookup(ctx, retry)
	maps.Copy(keys, found)
	return keys, err
}

// lookup reads the keys of subjects from PostgreSQL and caches them.
func (s *Store) lookup(ctx context.Context, subjects []string) (map[string]*subjectKeys, error) {
	epoch := s.cache.epoch()
	found, err := s.keys.lookup(ctx, subjects)
	if err != nil {
		return nil, err
	}
	s.cache.put(epoch, found)
	return found, nil
}

// openEvent opens e's sealed fields with keys (or, for a value sealed under a part of its subject, with that
// part's keys in parts) and, when its subject was erased, replaces its plaintext personal fields with null;
// the answer is remembered in keys' memo for the next reader of e, unless a part's keys opened some of it
// (those are read afresh every time). missing reports a sealed value of a generation the keys lack (nothing
// changed, nothing remembered).
func (s *Store) openEvent(e *eventstore.RecordedEvent, keys *subjectKeys, parts map[string]*subjectKeys) (missing bool, err error) {
	hasSealed := bytes.Contains(e.Data, sealedMarker)
	if !hasSealed && !keys.erased {
		return false, nil // plaintext of a subject never erased
	}
	if opened, ok := keys.memo.get(identityOf(e)); ok {
		e.Data = opened // another reader opened this event with these keys
		return false, nil
	}
	members, err := membersOf(e.Data)
	if err != nil {
		if hasSealed {
			return false, err
		}
		return false, nil // not an object: it holds no field, personal or not
	}
	personal := s.cfg.Events.PersonalFields(e.Type)
	values := make([][]byte, len(members))
	memoise := true
	for i, m := range members {
		value := e.Data[m.start:m.end]
		sealed, ok, err := parseSealed(value)
		if err != nil {
			return false, fmt.Errorf("field %s: %w", m.name, err)
		}
		under, subject := keys, e.StreamID
		if ok && sealed.Part != "" {
			if !isPartOf(sealed.Part, e.StreamID) || parts[sealed.Part] == nil {
				return false, fmt.Errorf("field %s: sealed under %q, not a part of its stream", m.name, sealed.Part)
			}
			under, subject, memoise = parts[sealed.Part], sealed.Part, false
		}
		switch {
		case !ok && keys.erased && slices.Contains(personal, m.name):
			values[i] = jsonNull // stored in plaintext before sealing existed, and erased since
		case !ok:
		case under.gone(sealed.Generation):
			values[i] = jsonNull
		default:
			aead, found := under.keys[sealed.Generation]
			if !found {
				return true, nil
			}
			if values[i], err = open(aead, sealed.Sealed, fieldAAD(subject, e.ID, m.name)); err != nil {
				return false, fmt.Errorf("field %s: %w", m.name, err)
			}
		}
	}
	// An exact copy: the readers share it, so an append to spare capacity would write into every reader's
	// copy, and the memo bounds what it keeps by length, which replaceValues' larger buffer would exceed.
	opened := slices.Clip(bytes.Clone(replaceValues(e.Data, members, values)))
	if memoise {
		keys.memo.put(identityOf(e), opened)
	}
	e.Data = opened
	return false, nil
}

// lookUpInFlight reads the keys of subjects for the flight this reader owns and lands it, whatever happens:
// a flight never landed would keep every later reader of those subjects waiting until its own context ends,
// which for a projection is never. A panic in the lookup lands the flight as failed (its waiters look the
// subjects up themselves) and goes on.
func (s *Store) lookUpInFlight(ctx context.Context, flight *keyFlight, subjects []string) (found map[string]*subjectKeys, err error) {
	landed := false
	defer func() {
		if !landed {
			s.cache.land(flight, subjects, nil, errLookupPanicked)
		}
	}()
	found, err = s.keys.lookup(ctx, subjects)
	s.cache.land(flight, subjects, found, err)
	landed = true
	return found, err
}
