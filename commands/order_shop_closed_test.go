package commands_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestASiteThatDoesNotSellRefusesEveryOrderCommand: the site's ecommerce_enabled is the order commands'
// rule, so a caller other than the HTTP layer (the CLI, a script over commands) is refused too.
func TestASiteThatDoesNotSellRefusesEveryOrderCommand(t *testing.T) {
	t.Parallel()
	// Given a buyer on site 1, whose issue SKU is on sale, but whose ecommerce_enabled is off
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, false)
	ann := w.buyer(t, "ann@example.com")
	closed := w.orders.Catalog.(orderCatalog)
	closed.closed = map[int64]bool{ann.SiteID: true}
	w.orders.Catalog = closed
	in := cart(ann, commands.CartItem{SKUID: issue.ID, Quantity: 1})

	cases := []struct {
		name    string
		command func(context.Context) error
	}{
		{"pricing the cart", func(ctx context.Context) error { _, err := w.orders.Summary(ctx, in.Cart); return err }},
		{"placing the order", func(ctx context.Context) error { _, err := w.orders.Place(ctx, newEnv(), in); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// When the command is given
			err := c.command(t.Context())
			// Then it is refused as a shop that is closed
			if !errors.Is(err, commands.ErrShopClosed) {
				t.Fatalf("got %v, want ErrShopClosed", err)
			}
		})
	}
	// And nothing was ordered or charged
	if o := w.order(t, 1); o.Exists() {
		t.Errorf("an order was placed: %+v", o)
	}
	if n := w.charges(t); n != 0 {
		t.Errorf("charges: %d, want 0", n)
	}
	// And a campaign key out of shape is told first, as the only rule checked before the shop's (the order
	// docs/ecommerce.md gives)
	bad := in
	bad.CampaignKey = "a b"
	_, err := w.orders.Place(t.Context(), newEnv(), bad)
	if problems, ok := errors.AsType[aggregates.FieldProblems](err); !ok || len(problems) != 1 || problems[0].Field != "campaign_key" {
		t.Errorf("a closed shop's order with a bad campaign key: %v, want the campaign_key problem", err)
	}
}
