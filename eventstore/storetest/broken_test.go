package storetest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// brokenModeEnv tells a child test process which broken store to run the suite against.
const brokenModeEnv = "STORETEST_BROKEN_MODE"

// TestSuiteCatchesBrokenStores proves the suite can fail: it reruns this test binary against deliberately
// broken stores and expects the matching cases, and only those groups, to fail. In the child process (the
// environment names a mode) the same test runs the suite against that broken store.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if mode := os.Getenv(brokenModeEnv); mode != "" {
		Run(t, memoryBackend(mode, brokenStore(t, mode)))
		return
	}
	cases := []struct {
		mode     string
		wantFail []string // subtests, as go test prints them, that must fail
		wantPass []string // groups that must still pass, so the failures are the broken behaviour's
	}{
		{mode: "drops-events", wantFail: []string{
			"subscribe/from_the_start_catches_up_then_goes_live",
			"concurrency/live_subscriber_gets_every_committed_event_exactly_once_in_order",
			"concurrency/subscriber_joining_mid-run_hands_over_from_catch-up_to_live_without_gap",
		}, wantPass: []string{"append", "read", "all", "idempotency"}},
		{mode: "reorders-all", wantFail: []string{
			"all/order_equals_append_order_and_positions_match",
			"all/paging_by_3_continues_exactly",
		}, wantPass: []string{"append", "read", "subscribe", "concurrency"}},
		{mode: "skips-late-commits", wantFail: []string{
			"concurrency/live_subscriber_gets_every_committed_event_exactly_once_in_order",
			"concurrency/subscriber_joining_mid-run_hands_over_from_catch-up_to_live_without_gap",
		}, wantPass: []string{"append", "read", "all", "subscribe", "idempotency"}},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			// Given the suite run against a store broken in one way.
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSuiteCatchesBrokenStores$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenModeEnv+"="+tc.mode)
			out, err := cmd.CombinedOutput()
			// Then the run fails, in the cases that check the broken behaviour and not elsewhere.
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("suite against %s: want a failing run, got %v\n%s", tc.mode, err, out)
			}
			for _, name := range tc.wantFail {
				if !bytes.Contains(out, []byte("--- FAIL: TestSuiteCatchesBrokenStores/"+tc.mode+"/"+name+" ")) {
					t.Errorf("suite against %s: case %s did not fail", tc.mode, name)
				}
			}
			for _, group := range tc.wantPass {
				if !bytes.Contains(out, []byte("--- PASS: TestSuiteCatchesBrokenStores/"+tc.mode+"/"+group+" ")) {
					t.Errorf("suite against %s: group %s did not pass", tc.mode, group)
				}
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}

// brokenStore returns the in-memory store broken the way mode names.
func brokenStore(t *testing.T, mode string) eventstore.Store {
	store := newMemStore()
	switch mode {
	case "drops-events":
		return droppingStore{store}
	case "reorders-all":
		return reorderingStore{store}
	case "skips-late-commits":
		store.skipPending = true
		return store
	}
	t.Fatalf("unknown broken mode %q", mode)
	return nil
}

// droppingStore's subscriptions silently lose every third event they would deliver.
type droppingStore struct{ *memStore }

func (s droppingStore) SubscribeAll(ctx context.Context, from eventstore.AllFrom, filter eventstore.Filter) (eventstore.Subscription, error) {
	sub, err := s.memStore.SubscribeAll(ctx, from, filter)
	return &droppingSubscription{Subscription: sub}, err
}

type droppingSubscription struct {
	eventstore.Subscription
	events int
}

func (s *droppingSubscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	for {
		msg, err := s.Subscription.Recv(ctx)
		if err != nil || msg.Event == nil {
			return msg, err
		}
		if s.events++; s.events%3 != 0 {
			return msg, nil
		}
	}
}

// reorderingStore's ReadAll swaps the first two events of every page.
type reorderingStore struct{ *memStore }

func (s reorderingStore) ReadAll(ctx context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := s.memStore.ReadAll(ctx, from, limit)
	if len(events) >= 2 {
		events[0], events[1] = events[1], events[0]
	}
	return events, err
}
