package commands_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// purchaseWorld is Ann's paid monthly subscription in a sales world that also sells plan 4054 to change to.
type purchaseWorld struct {
	*salesWorld
	ann int64
	sub subscription.State
}

func newPurchaseWorld(t *testing.T) purchaseWorld {
	t.Helper()
	w := purchaseWorld{salesWorld: newSalesWorld(t)}
	premium := w.catalog.plans[4051]
	premium.Terms.PlanID, premium.Terms.Amount = 4054, 3000
	w.catalog.plans[4054] = premium
	w.ann = w.register(t, "ann@example.com", "ann")
	w.sub = w.subscribe(t, w.ann, 4051, "tok_visa")
	return w
}

// renews is Ann renewing with a card asking for 3-D Secure, through subscriptions.
func (w purchaseWorld) renews(t *testing.T, subscriptions commands.Subscriptions) (commands.SubscriptionResult, error) {
	t.Helper()
	return subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
		Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4051, Quantity: 1, Payment: threeDSecure}})
}

// changes is Ann changing to plan 4054 with a card asking for 3-D Secure.
func (w purchaseWorld) changes(t *testing.T, subscriptions commands.Subscriptions) (commands.SubscriptionResult, error) {
	t.Helper()
	changed, err := subscriptions.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.
		SubscriptionSale{Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4054, Quantity: 1, Payment: threeDSecure}})
	return changed.SubscriptionResult, err
}

// cancelsNow is Ann ending her subscription at once, through subscriptions.
func (w purchaseWorld) cancelsNow(t *testing.T, subscriptions commands.Subscriptions) {
	t.Helper()
	if _, err := subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(w.ann),
		SubscriptionID: w.sub.ID, Mode: subscription.CancelNow}); err != nil {
		t.Fatal(err)
	}
}

// paidHeard plays the reactor hearing, twice, that the invoice was paid.
func (w purchaseWorld) paidHeard(t *testing.T, invoiceID int64) {
	t.Helper()
	for range 2 {
		paid := envelope("invoice-paid:" + strconv.FormatInt(invoiceID, 10))
		if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), paid, invoiceID, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCancellingNowVoidsThePurchaseAwaiting3DSecure: a renewal or a plan change waiting for 3-D Secure when
// Ann cancels her subscription now is given up with the cancellation: its invoice voided, its intent canceled
// at the gateway and the purchase abandoned, so completing 3-D Secure afterwards fails cleanly and takes
// nothing (no charge taken and given back), and nothing is applied.
func TestCancellingNowVoidsThePurchaseAwaiting3DSecure(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		buy  func(purchaseWorld, *testing.T, commands.Subscriptions) (commands.SubscriptionResult, error)
	}{
		{"a renewal", purchaseWorld.renews},
		{"a plan change", purchaseWorld.changes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's purchase waiting for 3-D Secure
			w := newPurchaseWorld(t)
			bought, err := c.buy(w, t, w.subscriptions)
			if err != nil || bought.PaymentIntent == nil {
				t.Fatalf("buy: %+v, %v; want a payment intent", bought, err)
			}
			awaited := w.read(t, w.sub.ID).Awaiting.InvoiceID
			// when she cancels her subscription now
			w.cancelsNow(t, w.subscriptions)
			kept := w.kept(t)
			// then the purchase is abandoned with the subscription, its invoice void and its intent canceled
			if s := w.read(t, w.sub.ID); !s.Ended() || s.Awaiting != nil || len(s.Phases) != 0 || s.Terms.PlanID != 4051 {
				t.Errorf("after the cancellation: status %s, awaiting %+v, phases %+v, plan %d", s.Status, s.Awaiting,
					s.Phases, s.Terms.PlanID)
			}
			if at, err := w.sandbox.Intent(t.Context(), bought.PaymentIntent.ID); err != nil || at.Status != payments.IntentCanceled {
				t.Errorf("intent %+v, %v; want canceled at the gateway", at, err)
			}
			// and completing 3-D Secure afterwards fails cleanly, taking nothing
			if at, err := w.sandbox.Confirm(t.Context(), bought.PaymentIntent.ID); err != nil || at.Status != payments.IntentCanceled {
				t.Errorf("late authentication: %+v, %v; want the intent still canceled", at, err)
			}
			if _, err := w.intents.Confirm(t.Context(), newEnv(), bought.PaymentIntent.ID); !errors.Is(err, commands.ErrIntentNotSucceeded) {
				t.Errorf("late confirmation: %v, want ErrIntentNotSucceeded", err)
			}
			if bill := w.state(t, awaited); bill.Status != invoice.StatusVoid || len(bill.Refunds) != 0 {
				t.Errorf("invoice %s with refunds %+v, want void and never paid", bill.Status, bill.Refunds)
			}
			if got := w.kept(t); got != kept {
				t.Errorf("the gateway keeps %d, want %d: the late authentication charged nothing", got, kept)
			}
		})
	}
}

// TestAPaymentCompletedAfterItsPurchaseWasRefusedIsNotKept: a renewal whose subscription ended (in another
// process) while its card was being charged is refused; the 3-D Secure payment it started must then take
// nothing, whether the customer completes it after the refusal (its intent was canceled with the invoice)
// or just before (refunded in full at once).
func TestAPaymentCompletedAfterItsPurchaseWasRefusedIsNotKept(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		completeIn bool // the customer completes 3-D Secure before the refusal is recorded
		status     invoice.Status
	}{
		{"completed after the refusal", false, invoice.StatusVoid},
		{"completed before the refusal", true, invoice.StatusPaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann renewing with a card asking for 3-D Secure, and her subscription ended in another
			// process once the gateway answered with the intent
			w := newPurchaseWorld(t)
			var kept int64
			var intentID string
			after := func(charged payments.Charge) {
				w.cancelsNow(t, w.subscriptions.AsAnotherProcess())
				kept, intentID = w.kept(t), charged.Intent.ID
				if c.completeIn {
					if _, err := w.sandbox.Confirm(t.Context(), intentID); err != nil {
						t.Fatal(err)
					}
				}
			}
			w.gateway.afterCharge.Store(&after)
			_, err := w.renews(t, w.subscriptions)
			// then the renewal is refused
			if !errors.Is(err, subscription.ErrEnded) {
				t.Fatalf("renew: %v, want ErrEnded", err)
			}
			// when Ann completes 3-D Secure (again) and every confirmation is heard
			if err := w.completes(t, intentID); err != nil && !errors.Is(err, commands.ErrIntentNotSucceeded) {
				t.Fatal(err)
			}
			bill := w.invoicesOf(t, w.sub.ID)[1]
			if bill.Status == invoice.StatusPaid {
				w.paidHeard(t, bill.ID)
			}
			// then the gateway keeps nothing of it, and the invoice says why
			if got := w.kept(t); got != kept {
				t.Errorf("the gateway keeps %d, want %d", got, kept)
			}
			if bill = w.state(t, bill.ID); bill.Status != c.status || bill.Refundable() != 0 {
				t.Errorf("invoice %s with %d refundable, want %s with nothing kept", bill.Status, bill.Refundable(), c.status)
			}
			if s := w.read(t, w.sub.ID); len(s.Phases) != 0 || s.Awaiting != nil {
				t.Errorf("subscription phases %+v, awaiting %+v", s.Phases, s.Awaiting)
			}
		})
	}
}

// TestAPaymentCompletedAfterItsExpiryIsRefunded: a renewal nobody completed is given up at its deadline, its
// invoice voided; a gateway that cannot cancel the intent lets the customer complete it later, and that
// payment is refunded in full at once.
func TestAPaymentCompletedAfterItsExpiryIsRefunded(t *testing.T) {
	t.Parallel()
	// given Ann's renewal waiting for 3-D Secure, at a gateway that cannot cancel intents
	w := newPurchaseWorld(t)
	w.withoutCancel()
	bought, err := w.renews(t, w.subscriptions)
	if err != nil || bought.PaymentIntent == nil {
		t.Fatalf("renew: %+v, %v; want a payment intent", bought, err)
	}
	awaited := w.read(t, w.sub.ID).Awaiting.InvoiceID
	kept := w.kept(t)
	// when the billing clock runs past the deadline, then Ann completes 3-D Secure
	if _, err := w.subscriptions.BillDue(t.Context(), w.sub.ID, time.Now().Add(subscription.PaymentDeadline+time.Minute),
		func(commands.BillingAction) {}); err != nil {
		t.Fatal(err)
	}
	if err := w.completes(t, bought.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	// then the renewal was abandoned, its invoice void, and the late payment given back in full
	if s := w.read(t, w.sub.ID); s.Awaiting != nil || len(s.Phases) != 0 {
		t.Errorf("after the expiry: awaiting %+v, phases %+v", s.Awaiting, s.Phases)
	}
	if bill := w.state(t, awaited); bill.Status != invoice.StatusVoid || len(bill.Refunds) != 1 {
		t.Errorf("invoice %s with refunds %+v, want void with the late payment refunded", bill.Status, bill.Refunds)
	}
	if got := w.kept(t); got != kept {
		t.Errorf("the gateway keeps %d, want %d", got, kept)
	}
}
