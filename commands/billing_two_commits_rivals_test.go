package commands_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// renewalRivalStore runs rival once around the first multi-stream append holding a renewal (a period started):
// before it when before is set (a change landing between the renewal's read and its append), else after it
// landed (a change between the renewal's commit and its charge).
type renewalRivalStore struct {
	eventstore.Store
	before bool
	rival  func()
	once   sync.Once
}

func (s *renewalRivalStore) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	renews := false
	for _, a := range appends {
		renews = renews || len(a.Events) > 0 && a.Events[0].Type == "subscription.period_started"
	}
	if !renews {
		return eventstore.AppendMulti(ctx, s.Store, appends)
	}
	if s.before {
		s.once.Do(s.rival)
	}
	res, err := eventstore.AppendMulti(ctx, s.Store, appends)
	if err == nil {
		s.once.Do(s.rival)
	}
	return res, err
}

func TestARenewalWhoseSubscriptionMovedOnBeforeItsAppendOpensTheInvoiceOfWhatItRenewed(t *testing.T) {
	t.Parallel()
	// Given a subscription due for renewal, and a rival change (three seats from the next period on) that
	// lands after the clock read it and before its renewal is appended
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), monthlyTerms, billingStart)
	w.subscriptions.Store = &renewalRivalStore{Store: w.store, before: true, rival: func() {
		w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
			return []subscription.Event{subscription.PhaseAdded{SubscriptionID: id, ReplacedUpcoming: true,
				Phase: subscription.Phase{Terms: s.Terms, Quantity: 3}, AddedAt: billingStart}}, nil
		})
	}}
	// When the clock renews and charges it
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// Then the invoice is the one of the period the log recorded: three seats
	renewed := w.read(t, id)
	opened := w.opened(t, done[0].InvoiceID)
	if renewed.Quantity != 3 || len(opened.Lines) != 1 || opened.Lines[0].Quantity != renewed.Quantity {
		t.Errorf("renewed with %d seats, invoice lines %+v; want the invoice to bill the renewed seats",
			renewed.Quantity, opened.Lines)
	}
}

func TestACardRemovedAfterTheRenewalsAttemptIsNotCharged(t *testing.T) {
	t.Parallel()
	// Given a renewal whose invoice and attempt are recorded, after which the customer's card is deleted
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, customer, "tok_visa")
	id := w.subscribe(t, customer, card, monthlyTerms, billingStart)
	rivals := &renewalRivalStore{Store: w.store, rival: func() {
		_, err := commands.Handle(t.Context(), w.store, commands.WalletAggregate, strconv.FormatInt(customer, 10),
			commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"}, func(wallet.State) ([]wallet.Event, error) {
				return []wallet.Event{wallet.PaymentMethodDeleted{CustomerID: customer, PaymentMethodID: card,
					DeletedAt: billingStart}}, nil
			})
		if err != nil {
			t.Error(err)
		}
	}}
	w.subscriptions.Store, w.subscriptions.Invoices.Store = rivals, rivals // one state cache, as in a process
	// When the clock charges the renewal (this process cached the pending attempt)
	done, err := w.bill(t, id, firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// Then nothing is charged: the renewal's payment failed for want of a card, its invoice still open
	if got := w.charges(t); got != 0 || len(done) < 2 || done[1].Outcome != "payment_failed" ||
		w.state(t, done[0].InvoiceID).Status != invoice.StatusOpen {
		t.Errorf("%d charges, outcomes %v; want no charge and the payment failed", got, outcomes(done))
	}
}
