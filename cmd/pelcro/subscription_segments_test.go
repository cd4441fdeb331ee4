package main

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestSubscribingHonoursSegments: the example catalog's coupon PRINT5 is for the customers of segment 1 only
// (emails of *.example.edu with a default billing address in Canada). Rule 12: somebody else is refused it
// as an unknown coupon, by the price preview (POST /order) as by create; a member of the segment sees its
// price and subscribes with it.
func TestSubscribingHonoursSegments(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given Ann (example.com) and Bea (a student of campus.example.edu with a billing address in Canada)
	w := newEraseWorld(t)
	register := func(email string) int64 {
		r, err := w.customers.Register(ctx, env(), commands.Registration{AccountID: 1, SiteID: eraseSite,
			Email: email, Password: "Secret-123"})
		if err != nil {
			t.Fatal(err)
		}
		return r.CustomerID
	}
	ann, bea := register("ann@example.com"), register("bea@campus.example.edu")
	if _, _, err := w.customers.AddAddress(ctx, env(), commands.NewAddress{Target: w.target(bea),
		Address: customer.Address{Type: customer.AddressBilling, Line1: "1 Rue Principale", City: "Montréal",
			Country: "CA", State: "QC", IsDefault: true}}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)

	// when each previews plan 4061 with the coupon
	preview := func(who int64) error {
		_, address, err := w.customers.AddAddress(ctx, env(), commands.NewAddress{Target: w.target(who),
			Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Preview Street", City: "New York",
				Country: "US", State: "NY", PostalCode: "10001"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.deps.pricePreviews().Preview(ctx, commands.PreviewRequest{Target: w.target(who), PlanID: 4061,
			CouponCode: "PRINT5", AddressID: address})
		return err
	}
	// then Ann is told the coupon does not exist, and Bea sees its price
	if err := preview(ann); !errors.Is(err, commands.ErrCouponNotFound) {
		t.Errorf("Ann previews outside the segment: %v, want the coupon refused as unknown", err)
	}
	if err := preview(bea); err != nil {
		t.Errorf("Bea previews in the segment: %v, want the price", err)
	}

	// when each subscribes to plan 4061 with the coupon
	subscribe := func(who int64) error {
		_, err := w.subscribe(commands.NewSubscription{Target: w.target(who), PlanID: 4061, Token: "tok_visa",
			CouponCode: "PRINT5"})
		return err
	}
	// then Ann is told the coupon does not exist, and Bea has her subscription
	if err := subscribe(ann); !errors.Is(err, commands.ErrCouponNotFound) {
		t.Errorf("Ann outside the segment: %v, want the coupon refused as unknown", err)
	}
	if err := subscribe(bea); err != nil {
		t.Errorf("Bea in the segment: %v, want her subscription", err)
	}
}
