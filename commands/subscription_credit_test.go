package commands_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestACreditPaysTheNextChangeAndACancellationNowRefundsEveryCharge follows one subscription through
// upgrades and downgrades half way through its first month (4051: 1000 a month, 4054: 3000 a month,
// 4053: 10000 a year), then cancels it at once.
func TestACreditPaysTheNextChangeAndACancellationNowRefundsEveryCharge(t *testing.T) {
	t.Parallel()
	w, ann, created := cancellableNow(t)
	w.at(halfWay)
	change := func(plan int64) commands.ChangedPlan {
		t.Helper()
		changed, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
			Target: target(ann), SubscriptionID: created.SubscriptionID, PlanID: plan, Quantity: 1}})
		if err != nil {
			t.Fatalf("change to %d: %v", plan, err)
		}
		return changed
	}
	// given a monthly subscription charged 1000, upgraded half way (charged 1000) then downgraded back
	// (1000 of credit)
	change(4054)
	if down := change(4051); down.Credited != 1000 {
		t.Fatalf("downgrade credited %d, want 1000", down.Credited)
	}
	// when it is upgraded again, then the credit pays the whole proration: nothing is invoiced or charged
	if up := change(4054); up.Charged != 0 || up.CreditUsed != 1000 || up.InvoiceID != 0 {
		t.Errorf("upgrade paid by credit: charged %d, credit used %d, invoice %d; want 0, 1000, none",
			up.Charged, up.CreditUsed, up.InvoiceID)
	}
	if n := w.charges(t); n != 2 {
		t.Errorf("%d charges, want 2 (the creation and the first upgrade)", n)
	}
	// when, with 1000 of credit again, it moves to the yearly plan (a new period at 10000 less the unused
	// 500), then the credit pays 1000 of the 9500 and the invoice bills the rest
	change(4051)
	yearly := change(4053)
	bill := w.state(t, yearly.InvoiceID)
	if yearly.Charged != 8500 || yearly.CreditUsed != 1000 || bill.Total != 8500 || bill.Status != invoice.StatusPaid {
		t.Errorf("to yearly: charged %d, credit used %d, invoice of %d (%s); want 8500, 1000, 8500 paid",
			yearly.Charged, yearly.CreditUsed, bill.Total, bill.Status)
	}
	// when it is cancelled now, then the unused year (10000) comes back from the charges that paid for it,
	// the latest first: 8500, 1000, and 500 of the first month's 1000 (the half used stays paid)
	if _, err := w.subs.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: target(ann),
		SubscriptionID: created.SubscriptionID, Mode: subscription.CancelNow}); err != nil {
		t.Fatal(err)
	}
	if refunds := w.refundedCharges(t); !slices.Equal(refunds, []int64{500, 1000, 8500}) {
		t.Errorf("refunds %v, want [500 1000 8500]", refunds)
	}
	// and the invoice records its refund, which a retry under the same key answers without refunding again
	if got := w.state(t, yearly.InvoiceID).AmountRefunded(); got != 8500 {
		t.Errorf("the yearly invoice records %d refunded, want 8500", got)
	}
	key := "subscription-" + strconv.FormatInt(created.SubscriptionID, 10) + "-cancel-refund-" +
		strconv.FormatInt(yearly.InvoiceID, 10)
	if again, err := w.invoices.Refund(t.Context(), newEnv(), yearly.InvoiceID, key, 10000); err != nil ||
		again != 8500 || !slices.Equal(w.refundedCharges(t), []int64{500, 1000, 8500}) {
		t.Errorf("a retry refunded %d (%v), charges refunded %v; want 8500 answered, nothing more",
			again, err, w.refundedCharges(t))
	}
}

func TestACancellationNowRefundsATermPaidInAdvance(t *testing.T) {
	t.Parallel()
	// given a monthly subscription charged 1000, and its next month bought now with a card (1000)
	w, _, cancel := boughtAMonthAhead(t)
	// when it is cancelled now, half way through its first month
	w.at(halfWay)
	cancel()
	// then the unused half month and the whole month bought, which will never start, come back
	if refunds := w.refundedCharges(t); !slices.Equal(refunds, []int64{500, 1000}) {
		t.Errorf("refunds %v, want [500 1000]", refunds)
	}
}

func TestACancellationNowHalfWayThroughATermPaidInAdvanceRefundsItsUnusedHalf(t *testing.T) {
	t.Parallel()
	// given a monthly subscription (1 November) whose December was bought in advance (1000), renewed into it
	w, id, cancel := boughtAMonthAhead(t)
	december := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	w.at(december)
	if _, err := w.subs.BillDue(t.Context(), id, december, nil); err != nil {
		t.Fatal(err)
	}
	// when it is cancelled now half way through December
	w.at(december.Add(31 * 24 * time.Hour / 2))
	cancel()
	// then the unused half of December comes back from the charge that bought it
	if refunds := w.refundedCharges(t); !slices.Equal(refunds, []int64{500}) {
		t.Errorf("refunds %v, want [500]", refunds)
	}
}

func TestTheBillingClockFinishesAnImmediateCancellationCutBeforeItsRefund(t *testing.T) {
	t.Parallel()
	// given a monthly subscription charged 1000 whose immediate cancellation was recorded half way through
	// the month, and then cut (its refund never made)
	w, _, created := cancellableNow(t)
	w.at(halfWay)
	if _, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate,
		strconv.FormatInt(created.SubscriptionID, 10), newEnv(),
		func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartImmediateCancel(s, subscription.Cancel{ImmediateAllowed: true}, halfWay)
		}); err != nil {
		t.Fatal(err)
	}
	// when the billing clock finds its end due
	var done []commands.BillingAction
	if _, err := w.subs.BillDue(t.Context(), created.SubscriptionID, halfWay.Add(time.Minute),
		func(a commands.BillingAction) { done = append(done, a) }); err != nil {
		t.Fatal(err)
	}
	// then it ends it canceled with the unused half refunded, as the customer's request would have
	if s := w.subscription(t, created.SubscriptionID); s.Status != subscription.StatusCanceled || len(done) != 1 {
		t.Errorf("status %s after %+v; want canceled by one item", s.Status, done)
	}
	if refunds := w.refundedCharges(t); !slices.Equal(refunds, []int64{500}) {
		t.Errorf("refunds %v, want [500]", refunds)
	}
}

// cancellableNow is a subscription world whose account allows immediate cancellation, and Ann's monthly
// subscription of 4051 created at its start, charged 1000 to a card (tok_visa).
func cancellableNow(t *testing.T) (*subscriptionWorld, int64, commands.CreatedSubscription) {
	t.Helper()
	w := newSubscriptionWorld(t)
	catalog := w.subs.Catalog.(fakeCatalog)
	catalog.policy.ImmediateCancellation = true
	w.subs.Catalog = catalog
	ann := w.register(t, "ann@example.com", "ann")
	created, err := w.subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: target(ann),
		PlanID: 4051, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	return w, ann, created
}

// boughtAMonthAhead is cancellableNow with the subscription (id) and its next month bought now with a card
// (1000), and a cancellation now of it at the world's time.
func boughtAMonthAhead(t *testing.T) (w *subscriptionWorld, id int64, cancelNow func()) {
	t.Helper()
	w, ann, created := cancellableNow(t)
	if _, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
		Target: target(ann), SubscriptionID: created.SubscriptionID, PlanID: 4051, Quantity: 1,
		Payment: commands.SubscriptionPayment{Token: "tok_visa"}}}); err != nil {
		t.Fatal(err)
	}
	return w, created.SubscriptionID, func() {
		t.Helper()
		if _, err := w.subs.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: target(ann),
			SubscriptionID: created.SubscriptionID, Mode: subscription.CancelNow}); err != nil {
			t.Fatal(err)
		}
	}
}
