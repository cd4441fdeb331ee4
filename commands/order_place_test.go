package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestPlacingAnOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		token   string
		status  order.Status
		invoice invoice.Status
		charges int
		left    int64
		refusal error
	}{
		{"a card that pays buys the units", "tok_visa", order.StatusPaid, invoice.StatusPaid, 1, 37, nil},
		{"a declined card gives them back", "tok_chargeDeclined", order.StatusCanceled, invoice.StatusVoid, 0, 40,
			&payments.Declined{}},
		{"a 3-D Secure card holds them until the deadline", "tok_threeDSecure2Required", order.StatusPending,
			invoice.StatusOpen, 0, 37, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a world of its own (a SKU of 40 units) and a buyer
			url, db := paymentsDatabase(t)
			w := newOrderWorld(t, openStore(t, url), db.DB, false)
			ann := w.buyer(t, "ann@example.com")
			before := w.charges(t)
			// When the buyer orders three units of the hot SKU with the card
			in := cart(ann, commands.CartItem{SKUID: hotSKU.ID, Quantity: 3})
			in.Token = c.token
			placed, err := w.orders.Place(t.Context(), newEnv(), in)
			// Then the order, its invoice, the charges and the stock say the same
			if (c.refusal == nil) != (err == nil) || (err != nil && !errors.As(err, new(*payments.Declined))) {
				t.Fatalf("place: %v, want %v", err, c.refusal)
			}
			if err == nil && placed.Order.Status != c.status {
				t.Errorf("order status %q, want %q", placed.Order.Status, c.status)
			}
			if c.status == order.StatusPending && placed.PaymentIntent == nil {
				t.Error("a 3-D Secure charge answers no payment intent")
			}
			o := w.onlyOrder(t, ann)
			if o.Status != c.status || w.invoiceStatus(t, o.InvoiceID) != c.invoice {
				t.Errorf("order %q with invoice %q, want %q and %q", o.Status, w.invoiceStatus(t, o.InvoiceID), c.status,
					c.invoice)
			}
			if got := w.charges(t) - before; got != c.charges {
				t.Errorf("%d charges, want %d", got, c.charges)
			}
			if left := w.left(t, hotSKU); left != c.left {
				t.Errorf("%d units left, want %d", left, c.left)
			}
		})
	}
}

func TestAStoreFailureWhileHoldingStockLeavesTheOrderForARetry(t *testing.T) {
	t.Parallel()
	// Given a store that refuses the next hold of units once (down for a moment), and a buyer
	url, db := paymentsDatabase(t)
	store := &refusingStore{Store: openStore(t, url)}
	w := newOrderWorld(t, store, db.DB, false)
	ann := w.buyer(t, "ann@example.com")
	in := cart(ann, commands.CartItem{SKUID: hotSKU.ID, Quantity: 2})
	in.Token = "tok_visa"
	refused := "stock.reserved"
	store.refuse.Store(&refused)
	env := newEnv()
	// When the order is placed
	_, err := w.orders.Place(t.Context(), env, in)
	// Then the failure is told as it is, not as a lack of stock, and the order waits, charged nothing
	if !errors.Is(err, errStoreDown) || errors.Is(err, commands.ErrOutOfStock) {
		t.Fatalf("place: %v, want the store's failure", err)
	}
	if o := w.onlyOrder(t, ann); o.Status != order.StatusPending || w.charges(t) != 0 {
		t.Fatalf("order %q with %d charges, want pending with none", o.Status, w.charges(t))
	}
	// When the same command is retried
	placed, err := w.orders.Place(t.Context(), env, in)
	// Then it is paid once, and its units are sold
	if err != nil || placed.Order.Status != order.StatusPaid || w.charges(t) != 1 || w.left(t, hotSKU) != 38 {
		t.Fatalf("retry: %v, status %q, %d charges, %d left; want paid once, 38 left", err, placed.Order.Status,
			w.charges(t), w.left(t, hotSKU))
	}
}
