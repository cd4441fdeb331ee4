package commands_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestHandleConcurrentCommandsAllLandThroughRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	// Given an open counter
	id := openedCounter(ctx, t, store, 100)

	// When 8 writers increment it at the same time, each with its own command
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			_, err := commands.Handle(ctx, store, counterAggregate, id, envelope(fmt.Sprintf("inc-%d", w)), increment(1))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)

	// Then every increment landed exactly once
	for err := range errs {
		if err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if got := currentCounter(ctx, t, store, id).value; got != writers {
		t.Fatalf("counter = %d, want %d", got, writers)
	}
	if n := len(readStream(ctx, t, store, id)); n != 1+writers {
		t.Fatalf("stream holds %d events, want %d", n, 1+writers)
	}
}

func TestHandleGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Given a stream a rival writer changes before every one of our appends
	rival := &rivalStore{Store: newStore(t), t: t}
	id := openedCounter(ctx, t, rival.Store, 100)

	// When a command runs
	_, err := commands.Handle(ctx, rival, counterAggregate, id, envelope("inc"), increment(1))

	// Then it fails with the conflict after exactly MaxAttempts attempts, having written nothing itself
	var wrong *eventstore.WrongExpectedVersionError
	if !errors.As(err, &wrong) {
		t.Fatalf("err = %v, want a *WrongExpectedVersionError", err)
	}
	if n := rival.attempts.Load(); n != commands.MaxAttempts {
		t.Fatalf("append attempted %d times, want %d", n, commands.MaxAttempts)
	}
	for _, e := range readStream(ctx, t, rival.Store, id) {
		if e.ID == commands.EventID(counterAggregate.StreamPrefix+id, "inc", 0) {
			t.Fatalf("the failed command's event is in the stream at revision %d", e.Revision)
		}
	}
}

func TestHandleStopsRetryingWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	// Given a stream that always conflicts, and a caller that gives up during the first attempt
	ctx, cancel := context.WithCancel(context.Background())
	rival := &rivalStore{Store: newStore(t), t: t, afterAppend: cancel}
	id := openedCounter(ctx, t, rival.Store, 100)

	// When a command runs
	_, err := commands.Handle(ctx, rival, counterAggregate, id, envelope("inc"), increment(1))

	// Then it stops with the context's error instead of retrying
	if !errors.Is(err, context.Canceled) || rival.attempts.Load() != 1 {
		t.Fatalf("err = %v after %d attempts, want context.Canceled after 1", err, rival.attempts.Load())
	}
}

func TestHandleRetriedCommandIsWrittenOnce(t *testing.T) {
	t.Parallel()
	conflict := &eventstore.WrongExpectedVersionError{Stream: "counter-x", Expected: eventstore.Exact(0)}
	tests := []struct {
		name string
		// failure is what the first, successful append answers instead of its result.
		failure error
		// clientRetries tells the caller sees the failure and sends the command again itself; otherwise the
		// pipeline's own conflict retry must recognise the landed events.
		clientRetries bool
	}{
		{"acknowledgement lost as a network error, client retries", errors.New("connection reset"), true},
		{"acknowledgement lost as a conflict, pipeline retries", conflict, false},
		{"acknowledged, client retries anyway", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			// Given an open counter whose store loses the acknowledgement of the next append
			base := newStore(t)
			id := openedCounter(ctx, t, base, 100)
			store := eventstore.Store(base)
			if tt.failure != nil {
				store = &lostAckStore{Store: base, failure: tt.failure}
			}

			// When the same non-idempotent command is handled (and, if it failed, sent again)
			first, err := commands.Handle(ctx, store, counterAggregate, id, envelope("inc-once"), increment(1))
			if tt.clientRetries {
				first, err = commands.Handle(ctx, store, counterAggregate, id, envelope("inc-once"), increment(1))
			}

			// Then it succeeds, the counter moved once and the result is where that one event stands
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			events := readStream(ctx, t, base, id)
			if got := currentCounter(ctx, t, base, id).value; got != 1 || len(events) != 2 {
				t.Fatalf("counter = %d with %d events, want 1 with 2", got, len(events))
			}
			if first.Revision != 1 || first.Position.Compare(events[1].Position) != 0 {
				t.Fatalf("result = %+v, want revision 1 at %s", first, events[1].Position)
			}
		})
	}
}
