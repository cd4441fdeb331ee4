package commands_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestAnUnlimitedSKUNeverTouchesItsStockStream orders 999 units (an invoice line's most) of the unlimited
// digital issue: each order ends as its payment says, and none writes the SKU's stock stream.
func TestAnUnlimitedSKUNeverTouchesItsStockStream(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		token  string
		expire bool
		status order.Status
	}{
		{"a card that pays buys them", "tok_visa", false, order.StatusPaid},
		{"a declined card cancels the order", "tok_chargeDeclined", false, order.StatusCanceled},
		{"a 3-D Secure charge nobody completes expires", "tok_threeDSecure2Required", true, order.StatusCanceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a buyer and the unlimited issue SKU
			url, db := paymentsDatabase(t)
			w := newOrderWorld(t, openStore(t, url), db.DB, false)
			ann := w.buyer(t, "ann@example.com")
			// When the buyer orders 999 units (and the deadline run comes when asked)
			in := cart(ann, commands.CartItem{SKUID: issue.ID, Quantity: 999})
			in.Token = c.token
			_, err := w.orders.Place(t.Context(), newEnv(), in)
			if errors.Is(err, commands.ErrOutOfStock) || errors.Is(err, aggregates.ErrInvalidInput) {
				t.Fatalf("place: %v; an unlimited SKU is never out of stock", err)
			}
			o := w.onlyOrder(t, ann)
			if c.expire {
				w.clock = o.PayBy
				if _, err := w.orders.Expire(t.Context(), o.ID); err != nil {
					t.Fatal(err)
				}
			}
			// Then the order ends as its payment says, its item marked unlimited
			o = w.order(t, o.ID)
			if o.Status != c.status || !o.Items[0].Unlimited {
				t.Errorf("order %q with items %+v, want %q and an unlimited item", o.Status, o.Items, c.status)
			}
			// And the SKU's stock stream was never written
			_, err = w.orders.Store.ReadStream(t.Context(), commands.StockAggregate.StreamPrefix+strconv.FormatInt(issue.ID, 10),
				eventstore.Forwards, eventstore.StreamStart(), 10)
			if !errors.Is(err, eventstore.ErrStreamNotFound) {
				t.Errorf("the stock stream of an unlimited SKU: %v, want none", err)
			}
		})
	}
}
