package storetest

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// recvTimeout bounds the wait for one subscription message, so a store that loses an event fails quickly.
const recvTimeout = 10 * time.Second

// subscriber is a subscription under test: it checks every delivered event comes after the previous one.
type subscriber struct {
	f    *fixture
	sub  eventstore.Subscription
	last *eventstore.Position
}

// subscribe opens a subscription that the case closes when it ends.
func (f *fixture) subscribe(from eventstore.AllFrom, filter eventstore.Filter) *subscriber {
	f.t.Helper()
	sub, err := f.store.SubscribeAll(f.ctx, from, filter)
	if err != nil {
		f.t.Fatalf("subscribe: %v", err)
	}
	f.t.Cleanup(func() { _ = sub.Close() })
	return &subscriber{f: f, sub: sub}
}

// recv returns the next message, failing the case when none arrives within recvTimeout.
func (s *subscriber) recv() eventstore.SubscriptionMessage {
	s.f.t.Helper()
	msg, err := recvBounded(s.f.ctx, s.sub, recvTimeout)
	if err != nil {
		s.f.t.Fatalf("subscription recv: %v", err)
	}
	if msg.Event != nil {
		if s.last != nil && msg.Event.Position.Compare(*s.last) <= 0 {
			s.f.t.Fatalf("subscription delivered event %s at %s after one at %s", msg.Event.ID, msg.Event.Position, s.last)
		}
		s.last = &msg.Event.Position
	}
	return msg
}

// tryRecv is TryRecv with the same order check as recv.
func (s *subscriber) tryRecv() (eventstore.SubscriptionMessage, bool) {
	s.f.t.Helper()
	msg, ok, err := s.sub.TryRecv(s.f.ctx)
	if err != nil {
		s.f.t.Fatalf("subscription TryRecv: %v", err)
	}
	if ok && msg.Event != nil {
		if s.last != nil && msg.Event.Position.Compare(*s.last) <= 0 {
			s.f.t.Fatalf("TryRecv delivered event %s at %s after one at %s", msg.Event.ID, msg.Event.Position, s.last)
		}
		s.last = &msg.Event.Position
	}
	return msg, ok
}

// errRecvHung reports a Recv that outlived its context's deadline.
var errRecvHung = errors.New("subscription Recv ignored its context's deadline")

// recvBounded receives one message within timeout. It returns errRecvHung when Recv ignores its context, so
// a broken adapter fails the case instead of hanging it (the stuck Recv is abandoned).
func recvBounded(ctx context.Context, sub eventstore.Subscription, timeout time.Duration) (eventstore.SubscriptionMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type received struct {
		msg eventstore.SubscriptionMessage
		err error
	}
	done := make(chan received, 1)
	go func() {
		msg, err := sub.Recv(ctx)
		done <- received{msg, err}
	}()
	select {
	case r := <-done:
		return r.msg, r.err
	case <-time.After(timeout + time.Second):
		return eventstore.SubscriptionMessage{}, errRecvHung
	}
}

// requireEvents fails unless the next messages are exactly these events, in order.
func (s *subscriber) requireEvents(want ...eventstore.EventData) {
	s.f.t.Helper()
	got := make([]eventstore.RecordedEvent, 0, len(want))
	for range want {
		msg := s.recv()
		if msg.Event == nil {
			s.f.t.Fatalf("subscription sent %+v after %d of %d expected events", msg, len(got), len(want))
		}
		got = append(got, *msg.Event)
	}
	requireIDs(s.f.t, "subscription", got, IDs(want))
}

// requireCaughtUp fails unless the next message is the CaughtUp signal.
func (s *subscriber) requireCaughtUp() {
	s.f.t.Helper()
	if msg := s.recv(); !msg.CaughtUp || msg.Event != nil {
		if msg.Event != nil {
			s.f.t.Fatalf("subscription delivered event %s of %s, want CaughtUp", msg.Event.ID, msg.Event.StreamID)
		}
		s.f.t.Fatalf("subscription sent %+v, want CaughtUp", msg)
	}
}

// appendEach appends every event on its own, with Any, to stream.
func (f *fixture) appendEach(stream string, events ...eventstore.EventData) []eventstore.AppendResult {
	f.t.Helper()
	results := make([]eventstore.AppendResult, len(events))
	for i, e := range events {
		results[i] = f.append(stream, eventstore.Any(), e)
	}
	return results
}
