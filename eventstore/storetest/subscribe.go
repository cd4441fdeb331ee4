package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// testSubscribe covers where subscriptions start, the catch-up to live handover, filters and closing.
func testSubscribe(t *testing.T, b Backend) {
	t.Run("from the start catches up then goes live", func(t *testing.T) {
		f := newFixture(t, b)
		// Given three events in two streams.
		before := newEvents(3)
		f.append(f.stream("x"), eventstore.NoStream(), before[:2]...)
		f.append(f.stream("y"), eventstore.NoStream(), before[2])
		// When subscribing to the case's streams from the start, then they arrive, then CaughtUp.
		sub := f.subscribe(eventstore.AllStart(), f.filter())
		sub.requireEvents(before...)
		sub.requireCaughtUp()
		// And events appended afterwards arrive live, without gap or duplicate.
		live := newEvents(3)
		f.append(f.stream("x"), eventstore.Exact(1), live[0])
		f.append(f.stream("y"), eventstore.Exact(0), live[1:]...)
		sub.requireEvents(live...)
	})
	t.Run("TryRecv hands out what is ready, in order, once", func(t *testing.T) {
		f := newFixture(t, b)
		// Given fifty events written before the subscription,
		events := newEvents(50)
		f.append(f.stream("x"), eventstore.NoStream(), events[:25]...)
		f.append(f.stream("y"), eventstore.NoStream(), events[25:]...)
		sub := f.subscribe(eventstore.AllStart(), f.filter())
		// when each Recv is followed by as many TryRecv as have a message ready,
		var got []eventstore.RecordedEvent
		caughtUp := false
		for !caughtUp {
			msg := sub.recv()
			for ok := true; ok && !msg.CaughtUp; msg, ok = sub.tryRecv() {
				if msg.Event != nil {
					got = append(got, *msg.Event)
				}
			}
			caughtUp = msg.CaughtUp
		}
		// then every event came exactly once, in order, before CaughtUp,
		requireIDs(t, "Recv and TryRecv", got, IDs(events))
		// and once closed, TryRecv has nothing.
		_ = sub.sub.Close()
		if msg, ok, _ := sub.sub.TryRecv(f.ctx); ok {
			t.Fatalf("TryRecv after Close returned %+v", msg)
		}
	})
	t.Run("from a position is exclusive", func(t *testing.T) {
		f := newFixture(t, b)
		// Given four single-event appends.
		events := newEvents(4)
		results := f.appendEach(f.stream("x"), events...)
		// When subscribing after the second one's position, then the third and fourth arrive, then CaughtUp.
		sub := f.subscribe(eventstore.AllAfter(results[1].Position), f.filter())
		sub.requireEvents(events[2:]...)
		sub.requireCaughtUp()
	})
	t.Run("from the end delivers only new events", func(t *testing.T) {
		f := newFixture(t, b)
		// Given an event already written.
		f.append(f.stream("x"), eventstore.NoStream(), newEvents(1)...)
		// When subscribing from the end, then CaughtUp comes first and only later events follow.
		sub := f.subscribe(eventstore.AllEnd(), f.filter())
		sub.requireCaughtUp()
		live := newEvents(2)
		f.appendEach(f.stream("x"), live...)
		sub.requireEvents(live...)
	})
	t.Run("a prefix filter excludes other streams", func(t *testing.T) {
		f := newFixture(t, b)
		// Given events in kept streams and in a dropped stream.
		keep, also, drop := f.stream("keep-1"), f.stream("also-1"), f.stream("drop-1")
		events := newEvents(6)
		f.append(drop, eventstore.Any(), events[0])
		f.append(keep, eventstore.Any(), events[1])
		f.append(also, eventstore.Any(), events[2])
		f.append(drop, eventstore.Any(), events[3])
		// When subscribing to two of the prefixes, then only their events arrive, in catch-up and live.
		sub := f.subscribe(eventstore.AllStart(), eventstore.Filter{StreamPrefixes: []string{f.stream("keep-"), f.stream("also-")}})
		sub.requireEvents(events[1], events[2])
		sub.requireCaughtUp()
		f.append(drop, eventstore.Any(), events[4])
		f.append(keep, eventstore.Any(), events[5])
		sub.requireEvents(events[5])
	})
	t.Run("close ends a blocked recv", func(t *testing.T) {
		f := newFixture(t, b)
		// Given a caught-up subscription blocked waiting for the next event.
		sub := f.subscribe(eventstore.AllEnd(), f.filter())
		sub.requireCaughtUp()
		ended := make(chan error, 1)
		go func() {
			_, err := sub.sub.Recv(f.ctx)
			ended <- err
		}()
		time.Sleep(50 * time.Millisecond) // let Recv block; the outcome must not depend on it
		// When the subscription is closed, then the blocked Recv and any later one return an error.
		if err := sub.sub.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
		select {
		case err := <-ended:
			if err == nil {
				t.Fatal("blocked Recv returned no error after Close")
			}
		case <-time.After(recvTimeout):
			t.Fatal("blocked Recv did not return after Close")
		}
		if msg, err := recvBounded(f.ctx, sub.sub, recvTimeout); err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errRecvHung) {
			t.Fatalf("Recv after Close returned %+v and error %v, want it to end at once with an error", msg, err)
		}
	})
	t.Run("recv ends with its context", func(t *testing.T) {
		f := newFixture(t, b)
		// Given a caught-up subscription with nothing more to deliver.
		sub := f.subscribe(eventstore.AllEnd(), f.filter())
		sub.requireCaughtUp()
		// When Recv is given a context that expires, then it returns an error instead of blocking.
		msg, err := recvBounded(f.ctx, sub.sub, 50*time.Millisecond)
		if err == nil || errors.Is(err, errRecvHung) {
			t.Fatalf("Recv with an expiring context returned %+v and error %v, want the context's error", msg, err)
		}
	})
}
