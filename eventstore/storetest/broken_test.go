package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
		// attempts is how many runs may be tried: a late commit is only passed over when the subscriber reads
		// while a slow write is held and a later one has committed, which a starved machine may not schedule.
		attempts int
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
		}, wantPass: []string{"append", "read", "all", "subscribe", "idempotency"}, attempts: 3},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			// Given the suite run against a store broken in one way,
			var problems []string
			var out []byte
			for attempt := 0; attempt < max(tc.attempts, 1); attempt++ {
				out, problems = runBrokenSuite(t, tc.mode, tc.wantFail, tc.wantPass)
				if len(problems) == 0 {
					return
				}
			}
			// then the run fails, in the cases that check the broken behaviour and not elsewhere.
			for _, p := range problems {
				t.Error(p)
			}
			t.Logf("child output:\n%s", out)
		})
	}
}

// runBrokenSuite reruns this test binary against the broken store of mode and returns its output and what
// it did not show: a failing run, the failure of every case in wantFail, the success of every wantPass group.
func runBrokenSuite(t *testing.T, mode string, wantFail, wantPass []string) (out []byte, problems []string) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSuiteCatchesBrokenStores$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), brokenModeEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return out, []string{fmt.Sprintf("suite against %s: want a failing run, got %v", mode, err)}
	}
	for _, name := range wantFail {
		if !bytes.Contains(out, []byte("--- FAIL: TestSuiteCatchesBrokenStores/"+mode+"/"+name+" ")) {
			problems = append(problems, fmt.Sprintf("suite against %s: case %s did not fail", mode, name))
		}
	}
	for _, group := range wantPass {
		if !bytes.Contains(out, []byte("--- PASS: TestSuiteCatchesBrokenStores/"+mode+"/"+group+" ")) {
			problems = append(problems, fmt.Sprintf("suite against %s: group %s did not pass", mode, group))
		}
	}
	return out, problems
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
