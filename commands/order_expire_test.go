package commands_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestOrdersNobodyFinishedExpire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// abandon leaves an order of 3 units pending, as a process that stopped does, and returns the payment
		// intent it waits for.
		abandon func(t *testing.T, w *orderWorld, buyer commands.Target) string
		// pay completes the charge in between, as the customer finishing 3-D Secure late does.
		pay     bool
		status  order.Status
		invoice invoice.Status
		left    int64
	}{
		{"a 3-D Secure charge never completed gives its units back", threeDSecureOrder, false, order.StatusCanceled,
			invoice.StatusVoid, 40},
		{"one completed before the deadline run is paid and keeps them", threeDSecureOrder, true, order.StatusPaid,
			invoice.StatusPaid, 37},
		{"a charge taken whose answer was lost is asked again, paid, and keeps them", lostChargeOrder(timesOutAfterCharge),
			false, order.StatusPaid, invoice.StatusPaid, 37},
		{"a charge that never reached the gateway is sent at the deadline run", lostChargeOrder(unavailableBefore),
			false, order.StatusPaid, invoice.StatusPaid, 37},
		{"a lost charge of a card declined since gives its units back", lostDeclinedOrder, false, order.StatusCanceled,
			invoice.StatusVoid, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given an order left pending
			url, db := paymentsDatabase(t)
			w := newOrderWorld(t, openStore(t, url), db.DB, false)
			ann := w.buyer(t, "ann@example.com")
			intent := c.abandon(t, w, ann)
			o := w.onlyOrder(t, ann)
			if c.pay {
				w.confirm(t, intent)
			}
			// When the deadline run comes, first a second too early, then at the deadline
			w.clock = o.PayBy.Add(-time.Second)
			if early, err := w.orders.Expire(t.Context(), o.ID); err != nil || early.Order.Status != order.StatusPending {
				t.Fatalf("expire before the deadline: %v, %q; want it left pending", err, early.Order.Status)
			}
			w.clock = o.PayBy
			for range 2 { // a second run finds nothing to do
				if _, err := w.orders.Expire(t.Context(), o.ID); err != nil {
					t.Fatalf("expire: %v", err)
				}
			}
			// Then the order, its invoice and the stock agree
			o = w.order(t, o.ID)
			if o.Status != c.status || w.invoiceStatus(t, o.InvoiceID) != c.invoice {
				t.Errorf("order %q with invoice %q, want %q and %q", o.Status, w.invoiceStatus(t, o.InvoiceID), c.status,
					c.invoice)
			}
			if left := w.left(t, hotSKU); left != c.left {
				t.Errorf("%d units left, want %d", left, c.left)
			}
		})
	}
}

// threeDSecureOrder places an order paid with a card that asks for 3-D Secure, which nobody completes.
func threeDSecureOrder(t *testing.T, w *orderWorld, buyer commands.Target) string {
	t.Helper()
	in := cart(buyer, commands.CartItem{SKUID: hotSKU.ID, Quantity: 3})
	in.Token = "tok_threeDSecure2Required"
	placed, err := w.orders.Place(t.Context(), newEnv(), in)
	if err != nil || placed.PaymentIntent == nil {
		t.Fatalf("place: %v, %+v; want a payment intent", err, placed)
	}
	return placed.PaymentIntent.ID
}

// lostChargeOrder places an order whose one charge meets fault: the placement fails with the gateway
// unreachable and leaves the order pending, as a placement that died after its charge does.
func lostChargeOrder(fault int32) func(t *testing.T, w *orderWorld, buyer commands.Target) string {
	return func(t *testing.T, w *orderWorld, buyer commands.Target) string {
		t.Helper()
		in := cart(buyer, commands.CartItem{SKUID: hotSKU.ID, Quantity: 3})
		in.Token = "tok_visa"
		w.faults.next.Store(fault)
		if _, err := w.orders.Place(t.Context(), newEnv(), in); !errors.Is(err, payments.ErrUnavailable) {
			t.Fatalf("place: %v, want the gateway unreachable", err)
		}
		return ""
	}
}

// lostDeclinedOrder places an order with a card the gateway declines, whose answer never came back.
func lostDeclinedOrder(t *testing.T, w *orderWorld, buyer commands.Target) string {
	t.Helper()
	in := cart(buyer, commands.CartItem{SKUID: hotSKU.ID, Quantity: 3})
	in.Token = "tok_chargeDeclined"
	w.faults.next.Store(unavailableBefore)
	if _, err := w.orders.Place(t.Context(), newEnv(), in); !errors.Is(err, payments.ErrUnavailable) {
		t.Fatalf("place: %v, want the gateway unreachable", err)
	}
	return ""
}

func TestARetriedOrderChargesOnce(t *testing.T) {
	t.Parallel()
	// Given an order placed and paid
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, false)
	ann := w.buyer(t, "ann@example.com")
	env, in := newEnv(), cart(ann, commands.CartItem{SKUID: hotSKU.ID, Quantity: 2})
	first, err := w.orders.Place(t.Context(), env, in)
	if err != nil {
		t.Fatal(err)
	}
	// When the same command comes again (the same Idempotency-Key)
	again, err := w.orders.Place(t.Context(), env, in)
	// Then it answers the same paid order, charged once, its units sold once
	if err != nil || again.Order.ID != first.Order.ID || again.Order.Status != order.StatusPaid {
		t.Fatalf("again: %v, %+v; want order %d paid", err, again.Order, first.Order.ID)
	}
	if w.charges(t) != 1 || w.left(t, hotSKU) != 38 {
		t.Errorf("%d charges and %d units left, want 1 and 38", w.charges(t), w.left(t, hotSKU))
	}
	// And a declined order's retry is the same decline
	in.Token = "tok_chargeDeclined"
	declined := newEnv()
	_, err = w.orders.Place(t.Context(), declined, in)
	_, again2 := w.orders.Place(t.Context(), declined, in)
	if err == nil || again2 == nil || err.Error() != again2.Error() {
		t.Errorf("declined, then again: %v, %v; want the same decline twice", err, again2)
	}
	if errors.Is(again2, commands.ErrOutOfStock) || w.left(t, hotSKU) != 38 {
		t.Errorf("after the decline %d units left, want 38", w.left(t, hotSKU))
	}
}

func TestExpireDueEndsAnOrderAtItsDeadline(t *testing.T) {
	t.Parallel()
	// Given an order whose 3-D Secure charge nobody completes, and a clock that stays at its placement
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, false)
	ann := w.buyer(t, "ann@example.com")
	threeDSecureOrder(t, w, ann)
	o := w.onlyOrder(t, ann)
	// When the expiry runs for an instant a second before its deadline, then for one a month after it
	early, err := w.orders.ExpireDue(t.Context(), o.ID, o.PayBy.Add(-time.Second))
	if err != nil || early.Order.Status != order.StatusPending {
		t.Fatalf("expire until before the deadline: %v, %q; want it left pending", err, early.Order.Status)
	}
	late, err := w.orders.ExpireDue(t.Context(), o.ID, o.PayBy.AddDate(0, 1, 0))
	// Then the order expired, its units are back, and its cancellation is stamped at its deadline
	if err != nil || late.Order.Status != order.StatusCanceled || late.Order.CancelReason != order.ReasonExpired {
		t.Fatalf("expire until a month later: %v, %+v; want it expired", err, late.Order)
	}
	if left := w.left(t, hotSKU); left != 40 {
		t.Errorf("%d units left, want 40", left)
	}
	events, err := w.orders.Store.ReadStream(t.Context(), "order-"+strconv.FormatInt(o.ID, 10), eventstore.Backwards,
		eventstore.StreamEnd(), 1)
	if err != nil {
		t.Fatal(err)
	}
	canceled, err := order.Events.Decode(events[0].Type, 1, events[0].Data)
	if err != nil || !canceled.(order.Canceled).CanceledAt.Equal(o.PayBy) {
		t.Errorf("last event %+v, %v; want canceled at %s", canceled, err, o.PayBy)
	}
}

func TestAThreeDSecureCompletedAfterTheOrderExpiredTakesNothing(t *testing.T) {
	t.Parallel()
	// Given an order whose 3-D Secure charge nobody completed, expired at its deadline
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, false)
	ann := w.buyer(t, "ann@example.com")
	intent := threeDSecureOrder(t, w, ann)
	o := w.onlyOrder(t, ann)
	if _, err := w.orders.ExpireDue(t.Context(), o.ID, o.PayBy); err != nil {
		t.Fatal(err)
	}
	// When the customer completes 3-D Secure afterwards
	if _, err := w.sandbox.Confirm(t.Context(), intent); err != nil {
		t.Fatal(err)
	}
	_, err := w.intents.Confirm(t.Context(), newEnv(), intent)
	// Then the gateway took nothing (the intent was canceled), and the order stays expired, its units back
	if !errors.Is(err, commands.ErrIntentNotSucceeded) {
		t.Errorf("confirm after the expiry: %v, want ErrIntentNotSucceeded", err)
	}
	if at, err := w.sandbox.Intent(t.Context(), intent); err != nil || at.Status != payments.IntentCanceled {
		t.Errorf("intent %+v (%v), want canceled", at, err)
	}
	if o = w.order(t, o.ID); o.Status != order.StatusCanceled || w.invoiceStatus(t, o.InvoiceID) != invoice.StatusVoid ||
		w.left(t, hotSKU) != 40 {
		t.Errorf("order %q, invoice %q, %d units left; want canceled, void, 40", o.Status,
			w.invoiceStatus(t, o.InvoiceID), w.left(t, hotSKU))
	}
}
