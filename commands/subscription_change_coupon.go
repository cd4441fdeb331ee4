package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// keepCoupon carries the subscription's coupon over to a change whose request names none (#31 leaves the
// choice to the server; the customer keeps what they were given, as a Stripe subscription keeps its discount
// through a price change). The coupon is kept as recorded, with its id, so a repeating coupon still counts
// its months from when it was first applied; the catalog's current limits still hold: a coupon limited to
// other plans, or taking an amount off in another currency, is dropped (the price preview shows it). The
// period amount is then priced with the coupon when it discounts the period the change leaves the
// subscription in. A coupon the catalog no longer has stays: the subscription holds it.
func (p Pricer) keepCoupon(ctx context.Context, who Target, s subscription.State, sale Sale,
	change subscription.Change, at time.Time) (subscription.Change, error) {
	own := s.OwnCoupon() // during a gift's term, not the gift's coupon: the one the subscription returns to
	if own == nil {
		return change, nil
	}
	catalogued, err := p.Catalog.Coupon(ctx, who.SiteID, own.Code)
	switch {
	case errors.Is(err, ErrCouponNotFound):
	case err != nil:
		return change, err
	case !catalogued.fits(sale.Plan.Terms):
		return change, nil
	}
	change.Coupon = own
	if !s.KeptCouponApplies(change, at) {
		return change, nil
	}
	quote, err := p.PricePeriod(ctx, PeriodRequest{Target: who, CouponApplies: true, Phase: subscription.Phase{
		Terms: change.Terms, Quantity: change.Quantity, Coupon: own, AddressID: change.AddressID}})
	change.PeriodAmount = quote.Total
	return change, err
}
