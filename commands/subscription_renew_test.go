package commands_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestRenewing(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	bob := w.register(t, "bob@example.com", "bob")
	card := w.saveCard(t, ann, "tok_visa")
	giftOf := func(n *subscription.New) { n.Gift.RecipientEmail = "zoe@example.com" }
	cases := []struct {
		name    string
		owner   int64
		adjust  func(*subscription.New)
		renewal commands.Renewal
		refusal error
		paidBy  bool // the phase was paid in advance by an invoice
	}{
		{name: "a yearly term paid now with the card given", owner: ann, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4053, Quantity: 1,
			Payment: commands.SubscriptionPayment{SourceID: card}}}, paidBy: true},
		{name: "a term left to the billing clock", owner: ann, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 2}}},
		{name: "a declined card adds nothing", owner: ann, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1,
			Payment: commands.SubscriptionPayment{Token: "tok_chargeDeclined"}}}, refusal: errDeclined},
		{name: "another customer's subscription", owner: bob, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1}},
			refusal: subscription.ErrNotFound},
		{name: "a gift given", owner: ann, adjust: giftOf, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1}},
			refusal: subscription.ErrGiftDonor},
		{name: "a plan in another currency", owner: ann, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4070, Quantity: 1}},
			refusal: subscription.ErrCurrencyMismatch},
		{name: "a bad campaign key", owner: ann, renewal: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1}, CampaignKey: "a b"},
			refusal: subscription.ErrInvalid},
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = w.subscribe(t, c.owner, card, c.adjust)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := c.renewal
			in.Target, in.SubscriptionID = target(ann), ids[i]
			_, err := w.subs.Renew(t.Context(), newEnv(), in)
			assertRefusal(t, err, c.refusal)
			s := w.subscription(t, ids[i])
			invoices := w.invoicesOf(t, ids[i])
			if c.refusal != nil {
				if len(s.Phases) != 0 {
					t.Errorf("phases %+v after a refusal", s.Phases)
				}
				for _, i := range invoices {
					if i.Status != invoice.StatusVoid {
						t.Errorf("invoice %d left %s after a refusal", i.ID, i.Status)
					}
				}
				return
			}
			if len(s.Phases) != 1 || s.Phases[0].Terms.PlanID != in.PlanID || s.Phases[0].Quantity != in.Quantity ||
				!s.PeriodEnd.Equal(subscribedAt.AddDate(0, 1, 0)) {
				t.Fatalf("phases %+v, period end %s", s.Phases, s.PeriodEnd)
			}
			paid := len(invoices) == 1 && invoices[0].Status == invoice.StatusPaid && invoices[0].ID == s.Phases[0].PaidBy
			if paid != c.paidBy || c.paidBy && invoices[0].Total != 10000 {
				t.Errorf("phase paid by %d, invoices %+v", s.Phases[0].PaidBy, invoices)
			}
		})
	}
}

func TestConcurrentRenewalsStopAtTheLimit(t *testing.T) {
	t.Parallel()
	// given a subscription with a saved card and no phase yet
	w, ann, card, id := subscribedWithCard(t)
	// when 20 renewals paid now arrive at once
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{Target: target(ann), SubscriptionID: id,
				PlanID: 4051, Quantity: 1, Payment: commands.SubscriptionPayment{SourceID: card}}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	// then ten are added and paid, the others refused before anything was charged
	refused := 0
	for err := range errs {
		if errors.Is(err, subscription.ErrTooManyPhases) {
			refused++
		} else if err != nil {
			t.Errorf("Renew() error = %v", err)
		}
	}
	s := w.subscription(t, id)
	paid := 0
	for _, i := range w.invoicesOf(t, id) {
		if i.Status == invoice.StatusPaid {
			paid++
		}
	}
	if refused != 10 || len(s.Phases) != subscription.MaxPhases || paid != subscription.MaxPhases ||
		w.charges(t) != subscription.MaxPhases {
		t.Errorf("refused %d, phases %d, paid invoices %d, charges %d; want 10 each", refused, len(s.Phases), paid, w.charges(t))
	}
}

func TestARenewalRetriedAfterACrashChargesOnce(t *testing.T) {
	t.Parallel()
	// given a subscription with a saved card, and a store that loses the phase of the first attempt
	w, ann, card, id := subscribedWithCard(t)
	phaseAdded := "subscription.phase_added"
	w.store.refuse.Store(&phaseAdded)
	renewal := commands.Renewal{SubscriptionSale: commands.SubscriptionSale{Target: target(ann), SubscriptionID: id, PlanID: 4051, Quantity: 1,
		Payment: commands.SubscriptionPayment{SourceID: card}}}
	env := newEnv()
	// when the renewal is paid, the server fails to record it, and the client retries the same request
	if _, err := w.subs.Renew(t.Context(), env, renewal); !errors.Is(err, errStoreDown) {
		t.Fatalf("first attempt: %v, want the store's failure", err)
	}
	if _, err := w.subs.Renew(t.Context(), env, renewal); err != nil {
		t.Fatalf("retry: %v", err)
	}
	// then the phase is added once, paid by the one invoice the card was charged for
	s := w.subscription(t, id)
	invoices := w.invoicesOf(t, id)
	if len(s.Phases) != 1 || len(invoices) != 1 || s.Phases[0].PaidBy != invoices[0].ID || w.charges(t) != 1 {
		t.Errorf("phases %+v, invoices %+v, charges %d; want one of each", s.Phases, invoices, w.charges(t))
	}
}

// subscribedWithCard is a world where ann holds a monthly subscription (id) charged to her saved visa (card).
func subscribedWithCard(t *testing.T) (w *subscriptionWorld, ann, card, id int64) {
	t.Helper()
	w = newSubscriptionWorld(t)
	ann = w.register(t, "ann@example.com", "ann")
	card = w.saveCard(t, ann, "tok_visa")
	return w, ann, card, w.subscribe(t, ann, card, nil)
}

func TestARenewalPaidNowRunsBeforeACancellationAtPeriodEnd(t *testing.T) {
	t.Parallel()
	// given a monthly subscription set to end with its current period
	w, ann, card, id := subscribedWithCard(t)
	if _, err := w.subs.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: target(ann), SubscriptionID: id,
		Mode: subscription.CancelAtPeriodEnd}); err != nil {
		t.Fatal(err)
	}
	// when the customer pays now for a yearly term after it
	if _, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
		Target: target(ann), SubscriptionID: id, PlanID: 4053, Quantity: 1,
		Payment: commands.SubscriptionPayment{SourceID: card}}}); err != nil {
		t.Fatalf("Renew() error = %v", err)
	}
	// then the subscription is set to end after the paid year, which the billing clock starts, billing nothing
	monthEnd := subscribedAt.AddDate(0, 1, 0)
	yearEnd := monthEnd.AddDate(1, 0, 0)
	if s := w.subscription(t, id); !s.CancelAt.Equal(yearEnd) {
		t.Errorf("cancel_at %s, want the paid year's end %s", s.CancelAt, yearEnd)
	}
	var done []commands.BillingAction
	report := func(a commands.BillingAction) { done = append(done, a) }
	if _, err := w.subs.BillDue(t.Context(), id, yearEnd.Add(-time.Hour), report); err != nil {
		t.Fatal(err)
	}
	s := w.subscription(t, id)
	if got := outcomes(done); len(got) != 1 || got[0] != "renew:renewed" || s.Ended() || s.Terms.PlanID != 4053 ||
		!s.PeriodEnd.Equal(yearEnd) || s.Unsettled != 0 {
		t.Errorf("at the month's end the clock did %v: status %s, plan %d until %s, unsettled %d; want the paid "+
			"year started, nothing billed", got, s.Status, s.Terms.PlanID, s.PeriodEnd, s.Unsettled)
	}
	// and it ends canceled when the paid year is over
	done = nil
	if _, err := w.subs.BillDue(t.Context(), id, yearEnd, report); err != nil {
		t.Fatal(err)
	}
	if s := w.subscription(t, id); s.Status != subscription.StatusCanceled || !s.EndedAt.Equal(yearEnd) {
		t.Errorf("after the paid year: %v, status %s ended %s; want canceled at %s", outcomes(done), s.Status,
			s.EndedAt, yearEnd)
	}
}
