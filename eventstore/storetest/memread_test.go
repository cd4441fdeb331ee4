package storetest

import (
	"context"
	"errors"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func (s *memStore) ReadStream(_ context.Context, stream string, direction eventstore.Direction, from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("memstore: limit %d must be positive", limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var committed []eventstore.RecordedEvent
	for _, i := range s.streams[stream] {
		if s.log[i].committed {
			committed = append(committed, s.log[i].event)
		}
	}
	if len(committed) == 0 {
		return nil, eventstore.ErrStreamNotFound
	}
	start, end := from.Revision()
	var out []eventstore.RecordedEvent
	if direction == eventstore.Forwards {
		for r := int(start); !end && r < len(committed) && len(out) < limit; r++ {
			out = append(out, committed[r])
		}
		return out, nil
	}
	r := min(int(start), len(committed)-1)
	if end {
		r = len(committed) - 1
	}
	for ; r >= 0 && len(out) < limit; r-- {
		out = append(out, committed[r])
	}
	return out, nil
}

// startLocked returns the log index a read of the global order starts at.
func (s *memStore) startLocked(from eventstore.AllFrom) int {
	if from.IsEnd() {
		return s.visibleUntilLocked(0)
	}
	if p, ok := from.Position(); ok {
		return int(p.Commit) // entry index p.Commit-1 holds p: start just after it
	}
	return 0
}

func (s *memStore) ReadAll(_ context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("memstore: limit %d must be positive", limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []eventstore.RecordedEvent
	start := s.startLocked(from)
	for i := start; i < s.visibleUntilLocked(start) && len(out) < limit; i++ {
		if e := s.log[i]; e.committed && !eventstore.IsSystemStream(e.event.StreamID) {
			out = append(out, e.event)
		}
	}
	return out, nil
}

func (s *memStore) SubscribeAll(_ context.Context, from eventstore.AllFrom, filter eventstore.Filter) (eventstore.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &memSubscription{store: s, next: s.startLocked(from), filter: filter, stop: make(chan struct{})}, nil
}

// memSubscription walks the log from next, delivering matching committed entries, and sends CaughtUp once
// no matching committed entry remains ahead of it.
type memSubscription struct {
	store    *memStore
	next     int
	filter   eventstore.Filter
	caughtUp bool
	stop     chan struct{}
	stopped  bool
}

func (sub *memSubscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	s := sub.store
	s.mu.Lock()
	defer s.mu.Unlock()
	for !sub.stopped {
		for end := s.visibleUntilLocked(sub.next); sub.next < end; {
			e := s.log[sub.next]
			sub.next++
			if e.committed && sub.filter.Matches(e.event.StreamID) {
				event := e.event
				return eventstore.SubscriptionMessage{Event: &event}, nil
			}
		}
		if !sub.caughtUp && !sub.committedAheadLocked() {
			sub.caughtUp = true
			return eventstore.SubscriptionMessage{CaughtUp: true}, nil
		}
		if err := s.waitLocked(ctx, sub.stop); err != nil {
			return eventstore.SubscriptionMessage{}, err
		}
	}
	return eventstore.SubscriptionMessage{}, errors.New("memstore: subscription closed")
}

// TryRecv never has a message ready: this store holds nothing between calls, so Recv does all the work.
func (sub *memSubscription) TryRecv(context.Context) (eventstore.SubscriptionMessage, bool, error) {
	return eventstore.SubscriptionMessage{}, false, nil
}

// committedAheadLocked reports whether a matching committed event waits behind an uncommitted one: the
// subscription has not caught up with every event written so far until it is delivered.
func (sub *memSubscription) committedAheadLocked() bool {
	for _, e := range sub.store.log[sub.next:] {
		if e.committed && sub.filter.Matches(e.event.StreamID) {
			return true
		}
	}
	return false
}

func (sub *memSubscription) Close() error {
	sub.store.mu.Lock()
	defer sub.store.mu.Unlock()
	if !sub.stopped {
		sub.stopped = true
		close(sub.stop)
	}
	return nil
}
