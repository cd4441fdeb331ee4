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

// TestAPaymentNobodyCompletesExpires: a renewal or a new subscription waiting for 3-D Secure is given up by
// the billing clock PaymentDeadline later: the intent is canceled at the gateway and the invoice voided, so a
// customer completing it afterwards pays nothing, and the subscription stops waiting. One completed in time
// is applied once, whoever hears of it first.
func TestAPaymentNobodyCompletesExpires(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, ann, "tok_visa")
	deadline := halfWay.Add(subscription.PaymentDeadline)
	// renewal buys a phase of a running subscription with a card asking for 3-D Secure, half-way through
	renewal := func(t *testing.T) (int64, *payments.Intent) {
		id := w.subscribe(t, ann, card, nil)
		bought, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
			Target: target(ann), SubscriptionID: id, PlanID: 4051, Quantity: 1, Payment: threeDSecure}})
		if err != nil || bought.PaymentIntent == nil {
			t.Fatalf("renew: %v, %+v; want a payment intent", err, bought)
		}
		return id, bought.PaymentIntent
	}
	newOne := func(t *testing.T) (int64, *payments.Intent) {
		created, err := w.subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: target(ann),
			PlanID: 4051, Token: "tok_threeDSecure2Required"})
		if err != nil || created.PaymentIntent == nil {
			t.Fatalf("create: %v, %+v; want a payment intent", err, created)
		}
		return created.SubscriptionID, created.PaymentIntent
	}
	cases := []struct {
		name     string
		buy      func(t *testing.T) (int64, *payments.Intent)
		complete bool // the customer completes 3-D Secure before the deadline, unheard of by the reactor
		outcome  string
		status   subscription.Status
		phases   int
		invoice  invoice.Status
	}{
		{"a renewal nobody completes is abandoned, the subscription active as it was", renewal, false, "expired",
			subscription.StatusActive, 0, invoice.StatusVoid},
		{"a renewal completed in time is applied at the deadline", renewal, true, "paid",
			subscription.StatusActive, 1, invoice.StatusPaid},
		{"a new subscription nobody completes ends incomplete_expired", newOne, false, "incomplete_expired",
			subscription.StatusIncompleteExpired, 0, invoice.StatusVoid},
		{"a new subscription completed in time is active", newOne, true, "paid",
			subscription.StatusActive, 0, invoice.StatusPaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given a payment waiting for 3-D Secure since half-way through the month
			w.at(halfWay)
			id, intent := c.buy(t)
			invoiceID := w.subscription(t, id).AwaitedInvoice()
			if c.complete {
				if _, err := w.sandbox.Confirm(t.Context(), intent.ID); err != nil {
					t.Fatal(err)
				}
			}
			// when the billing clock runs a second before the deadline, then at it (twice)
			var actions []commands.BillingAction
			for _, until := range []time.Time{deadline.Add(-time.Second), deadline, deadline} {
				if _, err := w.subs.BillDue(t.Context(), id, until, func(a commands.BillingAction) {
					actions = append(actions, a)
				}); err != nil {
					t.Fatal(err)
				}
			}
			// then the payment's expiry ran once, and the subscription and its invoice agree
			if len(actions) != 1 || actions[0].Kind != subscription.DuePaymentExpiry || actions[0].Outcome != c.outcome ||
				actions[0].InvoiceID != invoiceID || !actions[0].At.Equal(deadline) {
				t.Fatalf("actions %+v, want one payment_expiry of invoice %d at %s: %s", actions, invoiceID, deadline, c.outcome)
			}
			s := w.subscription(t, id)
			if s.Status != c.status || len(s.Phases) != c.phases || s.Awaiting != nil || w.state(t, invoiceID).Status != c.invoice {
				t.Errorf("subscription %s with %d phases, awaiting %+v, invoice %s; want %s, %d, none, %s", s.Status,
					len(s.Phases), s.Awaiting, w.state(t, invoiceID).Status, c.status, c.phases, c.invoice)
			}
			// when the customer completes 3-D Secure afterwards and the reactor hears of every payment
			_, _ = w.sandbox.Confirm(t.Context(), intent.ID)
			_, confirmErr := w.intents.Confirm(t.Context(), newEnv(), intent.ID)
			if _, err := w.subs.RecordInvoicePaid(t.Context(), envelope("invoice-paid:"+strconv.FormatInt(invoiceID, 10)),
				invoiceID, 0); err != nil {
				t.Fatal(err)
			}
			// then a payment given up takes nothing, and one applied is not applied again
			if !c.complete && !errors.Is(confirmErr, commands.ErrIntentNotSucceeded) {
				t.Errorf("completing a canceled intent: %v, want ErrIntentNotSucceeded", confirmErr)
			}
			if again := w.subscription(t, id); again.Status != c.status || len(again.Phases) != c.phases ||
				w.state(t, invoiceID).Status != c.invoice {
				t.Errorf("after the late completion: %s with %d phases, invoice %s", again.Status, len(again.Phases),
					w.state(t, invoiceID).Status)
			}
		})
	}
}

// TestAPaymentTheGatewayWillNotCancelIsNotAbandoned: when the gateway refuses to cancel an intent that is
// still moving (Stripe's "processing"), the money may still arrive: the expiry fails and leaves the invoice
// open and the subscription waiting, and a later run, once the cancel goes through, gives it up.
func TestAPaymentTheGatewayWillNotCancelIsNotAbandoned(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	deadline := halfWay.Add(subscription.PaymentDeadline)
	// given a new subscription waiting for 3-D Secure, and a gateway that will not cancel its intent
	w.at(halfWay)
	created, err := w.subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: target(ann),
		PlanID: 4051, Token: "tok_threeDSecure2Required"})
	if err != nil || created.PaymentIntent == nil {
		t.Fatalf("create: %v, %+v; want a payment intent", err, created)
	}
	invoiceID := w.subscription(t, created.SubscriptionID).AwaitedInvoice()
	w.gateway.stillMoving.Store(true)
	// when the billing clock runs at the deadline
	_, err = w.subs.BillDue(t.Context(), created.SubscriptionID, deadline, func(commands.BillingAction) {})
	// then it fails, and nothing is given up
	if err == nil {
		t.Fatal("the expiry of an intent the gateway would not cancel succeeded")
	}
	if s := w.subscription(t, created.SubscriptionID); s.Status != subscription.StatusIncomplete ||
		w.state(t, invoiceID).Status != invoice.StatusOpen {
		t.Fatalf("subscription %s, invoice %s; want incomplete, open", s.Status, w.state(t, invoiceID).Status)
	}
	// when the gateway cancels again and the clock runs once more
	w.gateway.stillMoving.Store(false)
	if _, err := w.subs.BillDue(t.Context(), created.SubscriptionID, deadline, func(commands.BillingAction) {}); err != nil {
		t.Fatal(err)
	}
	// then the payment is given up
	if s := w.subscription(t, created.SubscriptionID); s.Status != subscription.StatusIncompleteExpired ||
		w.state(t, invoiceID).Status != invoice.StatusVoid {
		t.Fatalf("subscription %s, invoice %s; want incomplete_expired, void", s.Status, w.state(t, invoiceID).Status)
	}
}
