package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestALateCommitIsDeliveredLongBeforeThePollWhoeverWroteIt(t *testing.T) {
	t.Parallel()
	// Each case: the subscriber's own Store or another one over the same database (another process) writes
	// an append held open for a while, and one of them commits a second append meanwhile, above the first.
	for _, tc := range []struct {
		name                      string
		heldByOther, quickByOther bool
	}{
		{"both appends by the subscriber's Store", false, false},
		{"the held append by another process", true, false},
		{"the quick append by another process", false, true},
		{"both appends by another process", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription at the head whose poll interval is far longer than the test
			own, ctx := newTestStore(t, WithPollInterval(time.Hour))
			other, err := Open(ctx, own.opts.listenURL, WithPollInterval(time.Hour))
			if err != nil {
				t.Fatalf("open another store: %v", err)
			}
			defer other.Close()
			sub, err := own.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			recvCaughtUp(t, ctx, sub)
			time.Sleep(200 * time.Millisecond) // let the LISTEN connections come up
			pick := func(byOther bool) *Store {
				if byOther {
					return other
				}
				return own
			}
			// (receiving already, so that it waits at the head while the appends run)
			deliverCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			delivered := make(chan []eventstore.RecordedEvent, 1)
			go func() {
				var got []eventstore.RecordedEvent
				for len(got) < 2 {
					msg, err := sub.Recv(deliverCtx)
					if err != nil {
						break // the test fails on the events missing
					}
					if msg.Event != nil {
						got = append(got, *msg.Event)
					}
				}
				delivered <- got
			}()
			time.Sleep(50 * time.Millisecond)
			// When an append is held open 400 ms and another commits above it meanwhile
			held, quick := newEvents(1), newEvents(1)
			done := make(chan error, 1)
			go func() {
				_, err := slowAppend(ctx, pick(tc.heldByOther), "held-1", eventstore.NoStream(), 400*time.Millisecond, held...)
				done <- err
			}()
			time.Sleep(100 * time.Millisecond)
			mustAppend(t, ctx, pick(tc.quickByOther), "quick-1", eventstore.NoStream(), quick...)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			// Then both reach the subscriber within seconds (in log order, which the held one need not lead:
			// on a busy machine it may take its transaction id after the quick one)
			got := <-delivered
			if len(got) == 2 && got[0].ID == quick[0].ID {
				got[0], got[1] = got[1], got[0]
			}
			requireIDs(t, "delivered", got, append(held, quick...))
		})
	}
}
