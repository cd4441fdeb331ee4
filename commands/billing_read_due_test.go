package commands_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

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

// threeDueRenewals creates three subscriptions due for renewal at firstRenewal, charged automatically, two
// of them of one customer, and returns their ids.
func (w *billingWorld) threeDueRenewals(t *testing.T) []int64 {
	t.Helper()
	ann, bob := w.register(t, "ann@example.com", "ann"), w.register(t, "bob@example.com", "bob")
	annCard, bobCard := w.saveCard(t, ann, "tok_visa"), w.saveCard(t, bob, "tok_visa")
	return []int64{w.subscribe(t, ann, annCard, monthlyTerms, billingStart),
		w.subscribe(t, ann, annCard, monthlyTerms, billingStart), w.subscribe(t, bob, bobCard, monthlyTerms, billingStart)}
}

func TestReadDueReadsABatchInTwoRoundTripsAndTheRenewalsReadNothingMore(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal, two of them of one customer
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	counting := countingReads(w)
	// When the run reads them ahead, then bills them under that read (its clock stopped: a slow machine
	// does not age the reads past their bound)
	stopped := func() time.Time { return billingStart }
	ahead := w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), stopped), ids)
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

// renewalHook is the store of a process whose first multi-stream append (a renewal recorded with its
// invoice opened: renewAndOpen) is followed by then, before the charge that comes next.
type renewalHook struct {
	*refusingStore
	then func()
	once sync.Once
}

func (s *renewalHook) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	res, err := s.refusingStore.AppendMulti(ctx, appends)
	if err == nil && s.then != nil {
		s.once.Do(s.then)
	}
	return res, err
}

// removeCard deletes the customer's card through store (this process's, or another's).
func removeCard(t *testing.T, store eventstore.Store, customer, card int64) {
	t.Helper()
	_, err := commands.Handle(t.Context(), store, commands.WalletAggregate, strconv.FormatInt(customer, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"}, func(wallet.State) ([]wallet.Event, error) {
			return []wallet.Event{wallet.PaymentMethodDeleted{CustomerID: customer, PaymentMethodID: card,
				DeletedAt: billingStart}}, nil
		})
	if err != nil {
		t.Error(err)
	}
}

func TestABillingReadAheadIsUsedWithinItsBoundOnly(t *testing.T) {
	t.Parallel()
	pastTheBound := commands.BillingReadsFreshFor + time.Millisecond
	cases := []struct {
		name string
		// afterRenewal: the card is removed after the renewal was recorded, before its charge (else before
		// the renewal)
		afterRenewal bool
		// elsewhere: the card is removed by another process (this one's state cache does not see it)
		elsewhere bool
		// later is how far the run's clock moves on from the read ahead when the card is removed
		later time.Duration
		// charged: whether the removed card is charged
		charged bool
	}{
		{name: "removed elsewhere, checked within the bound, it may still be charged", elsewhere: true, charged: true},
		{name: "removed elsewhere, checked past the bound, it is not", elsewhere: true, later: pastTheBound},
		{name: "removed by this process, it is not, even within the bound"},
		{name: "removed elsewhere after the renewal, its charge checked within the bound, it may still be charged",
			afterRenewal: true, elsewhere: true, charged: true},
		{name: "removed elsewhere after the renewal, its charge checked past the bound, it is not",
			afterRenewal: true, elsewhere: true, later: pastTheBound},
		{name: "removed by this process after the renewal, it is not", afterRenewal: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription due for renewal, read ahead by the run on its clock
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			card := w.saveCard(t, customer, "tok_visa")
			id := w.subscribe(t, customer, card, monthlyTerms, billingStart)
			hooked := &renewalHook{refusingStore: w.store}
			w.subscriptions.Store, w.subscriptions.Invoices.Store, w.subscriptions.Pricer.Store = hooked, hooked, hooked
			var elapsed atomic.Int64
			clock := func() time.Time { return billingStart.Add(time.Duration(elapsed.Load())) }
			ahead := w.subscriptions.ReadDue(commands.WithRecentReadsClock(t.Context(), clock), []int64{id})
			// When the card is removed (before the renewal or between the renewal and its charge) as the clock
			// moves on, and the renewal is billed under the read ahead
			var remover eventstore.Store = hooked
			if c.elsewhere {
				remover = otherProcess{w.store}
			}
			remove := func() { elapsed.Add(int64(c.later)); removeCard(t, remover, customer, card) }
			if c.afterRenewal {
				hooked.then = remove
			} else {
				remove()
			}
			done := billAhead(t, w, ahead, id)
			// Then the card is charged only when its check came within the bound of the read
			if charged := w.charges(t) == 1; charged != c.charged {
				t.Errorf("charged %v, outcomes %v; want charged %v", charged, outcomes(done), c.charged)
			}
		})
	}
}
