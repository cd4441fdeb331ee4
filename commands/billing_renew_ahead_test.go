package commands_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// multiCountingStore counts, beside the reads, the multi-stream appends that reach the store.
type multiCountingStore struct {
	*readsCountingStore
	mu    sync.Mutex
	calls int
}

func (s *multiCountingStore) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	return s.readsCountingStore.AppendMulti(ctx, appends)
}

// multiCalls returns the multi-stream appends so far and starts counting afresh.
func (s *multiCountingStore) multiCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := s.calls
	s.calls = 0
	return calls
}

func TestRenewAheadRecordsAChunksRenewalsInOneAppendThatBillDueGoesOnFrom(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// rival changes the second subscription in another process after the read-ahead
		rival bool
		// late is how long after RenewAhead the subscriptions are billed
		late time.Duration
		// renewedAhead is how many renewals RenewAhead wrote; readAgain whether BillDue reads every
		// subscription's stream before its charge
		renewedAhead int
		readAgain    bool
	}{
		{name: "three renewals in one append, each charged without a read", renewedAhead: 3},
		{name: "a rival write leaves every renewal to BillDue, each renewed and charged once", rival: true},
		{name: "billed past the read bound, each subscription is read again before its charge",
			late: commands.BillingReadsFreshFor + time.Millisecond, renewedAhead: 3, readAgain: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given three subscriptions due for renewal, read ahead by the run
			w := newBillingWorld(t)
			ids := w.threeDueRenewals(t)
			counting := &multiCountingStore{readsCountingStore: countingReads(w)}
			w.subscriptions.Store, w.subscriptions.Invoices.Store, w.subscriptions.Pricer.Store = counting, counting, counting
			now := time.Now()
			ahead := w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), func() time.Time { return now }), ids)
			if c.rival {
				_, err := commands.Handle(t.Context(), otherProcess{w.store}, commands.SubscriptionAggregate,
					strconv.FormatInt(ids[1], 10), commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
					func(s subscription.State) ([]subscription.Event, error) {
						return []subscription.Event{threeSeatsNext(s)}, nil
					})
				if err != nil {
					t.Fatal(err)
				}
			}
			// When the run renews them ahead, then bills each
			outcomes := map[int64][]string{}
			report := func(a commands.BillingAction) {
				outcomes[a.SubscriptionID] = append(outcomes[a.SubscriptionID], a.Outcome)
			}
			counting.multiCalls()
			ahead = w.subscriptions.RenewAhead(ahead, ids, firstRenewal, report)
			aheadAppends := counting.multiCalls()
			renewedAhead := 0
			for _, done := range outcomes {
				renewedAhead += len(done)
			}
			now = now.Add(c.late)
			counting.counts()
			for _, id := range ids {
				if _, err := w.subscriptions.BillDue(ahead, id, firstRenewal, report); err != nil {
					t.Fatal(err)
				}
			}
			// Then the renewals it could write went in one append, and every subscription was renewed and
			// charged once
			if aheadAppends != 1 || renewedAhead != c.renewedAhead {
				t.Errorf("RenewAhead made %d multi-stream appends and renewed %d; want 1 and %d", aheadAppends,
					renewedAhead, c.renewedAhead)
			}
			if got := w.charges(t); got != len(ids) {
				t.Errorf("%d charges; want %d", got, len(ids))
			}
			single, _ := counting.counts()
			for _, id := range ids {
				if done := outcomes[id]; len(done) != 2 || done[0] != "renewed" || done[1] != "paid" {
					t.Errorf("subscription %d: items %v; want renewed, then paid", id, done)
				}
				if read := single["subscription-"+strconv.FormatInt(id, 10)] > 0; read != c.readAgain && !c.rival {
					t.Errorf("subscription %d read again by BillDue: %v; want %v", id, read, c.readAgain)
				}
			}
			if c.rival {
				if renewed := w.read(t, ids[1]); renewed.Quantity != 3 {
					t.Errorf("the rival's subscription renewed with %d seats; want the log's 3", renewed.Quantity)
				}
			}
		})
	}
}

func TestACrashAfterRenewAheadLeavesChargesTheNextRunTakesOnce(t *testing.T) {
	t.Parallel()
	// Given three renewals written ahead by a run whose process then died before charging any (its clock
	// stopped, so a slow machine does not age its reads past the read-ahead's bound)
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	var renewed int
	stopped := func() time.Time { return billingStart }
	w.subscriptions.RenewAhead(w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), stopped), ids), ids,
		firstRenewal, func(commands.BillingAction) { renewed++ })
	if renewed != len(ids) {
		t.Fatalf("renewed ahead %d; want %d", renewed, len(ids))
	}
	// When the next run, in a process of its own, bills them
	next := w.restarted(t)
	for _, id := range ids {
		done, err := next.bill(t, id, firstRenewal)
		if err != nil {
			t.Fatal(err)
		}
		// Then each is charged once, for the renewal the log holds, and not renewed again
		if got := outcomes(done); len(got) != 1 || got[0] != "charge:paid" {
			t.Errorf("subscription %d: items %v; want paid only", id, got)
		}
	}
	if got := w.charges(t); got != len(ids) {
		t.Errorf("%d charges; want %d", got, len(ids))
	}
}

func TestACancellationBetweenRenewAheadAndTheChargeWaitsForTheCharge(t *testing.T) {
	t.Parallel()
	modes := []subscription.CancelMode{subscription.CancelAtLastPeriodEnd, subscription.CancelAtPeriodEnd}
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			// Given three renewals written ahead by the run, not charged yet (its clock stopped: on a slow
			// machine, reads older than the read-ahead's bound would be renewed by BillDue instead)
			w := newBillingWorld(t)
			ids := w.threeDueRenewals(t)
			stopped := func() time.Time { return billingStart }
			ahead := w.subscriptions.RenewAhead(w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), stopped), ids),
				ids, firstRenewal, nil)
			owner := w.read(t, ids[1])
			cancel := func() error {
				_, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{
					Target:         commands.Target{CustomerID: owner.CustomerID, AccountID: owner.AccountID, SiteID: owner.SiteID},
					SubscriptionID: ids[1], Mode: mode})
				return err
			}
			// When the customer cancels one of them before the run charges it
			err := cancel()
			// Then the cancellation is refused while the renewal's charge is in flight, so the charge cannot
			// land on a subscription already ended or set to end without it
			if !errors.Is(err, subscription.ErrPaymentPending) {
				t.Fatalf("cancel before the charge: %v; want ErrPaymentPending", err)
			}
			// and once the run charged it, the same cancellation goes through
			for _, id := range ids {
				if _, err := w.subscriptions.BillDue(ahead, id, firstRenewal, nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := w.charges(t); got != len(ids) {
				t.Errorf("%d charges; want %d", got, len(ids))
			}
			if err := cancel(); err != nil {
				t.Fatalf("cancel after the charge: %v", err)
			}
			if got := w.read(t, ids[1]); got.CancelMode != mode || got.Unsettled != 0 {
				t.Errorf("after the charge and the cancellation: mode %q, unsettled invoice %d", got.CancelMode, got.Unsettled)
			}
		})
	}
}
