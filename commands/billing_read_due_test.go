package commands_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readsCountingStore counts the single-stream reads and the multi-stream reads that reach the store, and
// passes the multi-stream capabilities of the store beneath through.
type readsCountingStore struct {
	*refusingStore
	mu     sync.Mutex
	single map[string]int
	multi  int
}

func (s *readsCountingStore) ReadStream(ctx context.Context, stream string, direction eventstore.Direction,
	from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	s.mu.Lock()
	s.single[stream]++
	s.mu.Unlock()
	return s.refusingStore.ReadStream(ctx, stream, direction, from, limit)
}

func (s *readsCountingStore) ReadStreams(ctx context.Context, reads []eventstore.StreamRead) ([][]eventstore.RecordedEvent, error) {
	s.mu.Lock()
	s.multi++
	s.mu.Unlock()
	return s.refusingStore.ReadStreams(ctx, reads)
}

// counts returns the reads so far and starts counting afresh.
func (s *readsCountingStore) counts() (single map[string]int, multi int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	single, multi = s.single, s.multi
	s.single, s.multi = map[string]int{}, 0
	return single, multi
}

// otherProcess is the store as another process writes it: the state cache keys its entries by store, so
// what is written through it is not in this process's cached states.
type otherProcess struct{ eventstore.Store }

// countingReads has w's billing commands read through a readsCountingStore (one state cache, as in a process).
func countingReads(w *billingWorld) *readsCountingStore {
	counting := &readsCountingStore{refusingStore: w.store, single: map[string]int{}}
	w.subscriptions.Store, w.subscriptions.Invoices.Store, w.subscriptions.Pricer.Store = counting, counting, counting
	return counting
}

// billAhead bills subscription id's first renewal under ahead, the run's read ahead, and returns the items.
func billAhead(t *testing.T, w *billingWorld, ahead context.Context, id int64) []commands.BillingAction {
	t.Helper()
	var done []commands.BillingAction
	if _, err := w.subscriptions.BillDue(ahead, id, firstRenewal, func(a commands.BillingAction) {
		done = append(done, a)
	}); err != nil {
		t.Fatal(err)
	}
	return done
}

func TestReadDueReadsABatchInTwoRoundTripsAndTheRenewalsReadNothingMore(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal, two of them of one customer
	w := newBillingWorld(t)
	ann, bob := w.register(t, "ann@example.com", "ann"), w.register(t, "bob@example.com", "bob")
	annCard, bobCard := w.saveCard(t, ann, "tok_visa"), w.saveCard(t, bob, "tok_visa")
	ids := []int64{w.subscribe(t, ann, annCard, monthlyTerms, billingStart),
		w.subscribe(t, ann, annCard, monthlyTerms, billingStart), w.subscribe(t, bob, bobCard, monthlyTerms, billingStart)}
	counting := countingReads(w)
	// When the run reads them ahead, then bills them under that read
	ahead := w.subscriptions.ReadDue(t.Context(), ids)
	single, multi := counting.counts()
	for _, id := range ids {
		if _, err := w.subscriptions.BillDue(ahead, id, firstRenewal, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Then the read ahead took two round trips (the subscriptions; their customers and wallets), and the
	// renewals and charges read no stream of their own
	if multi != 2 || len(single) != 0 {
		t.Errorf("read ahead in %d multi-stream reads and single reads %v; want 2 and none", multi, single)
	}
	if single, multi := counting.counts(); len(single) != 0 || multi != 0 {
		t.Errorf("the renewals read %v (and %d multi-stream reads); want nothing", single, multi)
	}
	if got := w.charges(t); got != len(ids) {
		t.Errorf("%d charges; want %d", got, len(ids))
	}
}

func TestABillingReadAheadIsUsedWithinItsBoundOnly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// wait is how long after the read ahead the card is removed and the renewal billed
		wait time.Duration
		// elsewhere: the card is removed by another process (this one's state cache does not see it)
		elsewhere bool
		// charged: whether the removed card is charged
		charged bool
	}{
		{name: "removed elsewhere within the bound, it may still be charged", elsewhere: true, charged: true},
		{name: "removed elsewhere past the bound, it is not", elsewhere: true,
			wait: commands.BillingReadsFreshFor + 50*time.Millisecond},
		{name: "removed by this process, it is not, even within the bound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription due for renewal, read ahead by the run
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			card := w.saveCard(t, customer, "tok_visa")
			id := w.subscribe(t, customer, card, monthlyTerms, billingStart)
			began := time.Now()
			ahead := w.subscriptions.ReadDue(t.Context(), []int64{id})
			// When the customer removes the card, and the renewal is billed under the read ahead after wait
			time.Sleep(c.wait)
			var remover eventstore.Store = w.store
			if c.elsewhere {
				remover = otherProcess{w.store}
			}
			_, err := commands.Handle(t.Context(), remover, commands.WalletAggregate, strconv.FormatInt(customer, 10),
				commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"}, func(wallet.State) ([]wallet.Event, error) {
					return []wallet.Event{wallet.PaymentMethodDeleted{CustomerID: customer, PaymentMethodID: card,
						DeletedAt: billingStart}}, nil
				})
			if err != nil {
				t.Fatal(err)
			}
			done := billAhead(t, w, ahead, id)
			// Then the card is charged only when the read ahead was still within the bound
			if c.charged && time.Since(began) > commands.BillingReadsFreshFor {
				t.Skip("the machine took longer than the bound to bill: this case cannot tell")
			}
			if charged := w.charges(t) == 1; charged != c.charged {
				t.Errorf("charged %v, outcomes %v; want charged %v", charged, outcomes(done), c.charged)
			}
		})
	}
}

func TestARivalWriteAfterTheReadAheadIsBilledAsTheLogSays(t *testing.T) {
	t.Parallel()
	// Given a subscription due for renewal, read ahead by the run, then changed by its customer in another
	// process (three seats from the next period on) before the run bills it
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)
	ahead := w.subscriptions.ReadDue(t.Context(), []int64{id})
	_, err := commands.Handle(t.Context(), otherProcess{w.store}, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"}, func(s subscription.State) ([]subscription.Event, error) {
			return []subscription.Event{subscription.PhaseAdded{SubscriptionID: id, ReplacedUpcoming: true,
				Phase: subscription.Phase{Terms: s.Terms, Quantity: 3}, AddedAt: billingStart}}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	// When the run bills it under the read ahead
	done := billAhead(t, w, ahead, id)
	// Then the renewal is the log's: three seats renewed and invoiced, charged once
	renewed := w.read(t, id)
	opened := w.opened(t, done[0].InvoiceID)
	if renewed.Quantity != 3 || len(opened.Lines) != 1 || opened.Lines[0].Quantity != 3 || w.charges(t) != 1 {
		t.Errorf("renewed %d seats, invoice lines %+v, %d charges; want 3 seats invoiced and one charge",
			renewed.Quantity, opened.Lines, w.charges(t))
	}
}
