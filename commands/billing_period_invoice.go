package commands

import (
	"context"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// periodInvoice is the invoice of the subscription's current period, priced for its customer.
func (c Subscriptions) periodInvoice(ctx context.Context, s subscription.State) (NewInvoice, error) {
	phase := subscription.Phase{Terms: s.Terms, Quantity: s.Quantity, Coupon: s.Coupon, AddressID: s.AddressID}
	first := s.CouponSince.Equal(s.PeriodStart)
	quote, err := c.pricePhase(ctx, s, phase, s.Coupon.AppliesTo(first, s.CouponSince, s.PeriodStart), s.PeriodCreditUsed)
	if err != nil {
		return NewInvoice{}, err
	}
	create := InvoiceOf(quote, invoice.Line{Description: fmt.Sprintf("Plan %d, %s %d to %s", s.Terms.PlanID,
		s.Terms.Interval, s.Cycle, s.PeriodEnd.Format("2006-01-02")), UnitAmount: s.Terms.Amount, Quantity: max(s.Quantity, 1)})
	create.CustomerID, create.Currency, create.SubscriptionID = s.CustomerID, s.Terms.Currency, s.ID
	create.BillingReason = invoice.ReasonSubscriptionCycle
	create.Period = invoice.Period{Start: s.PeriodStart, End: s.PeriodEnd}
	return NewInvoice{AccountID: s.AccountID, Invoice: create}, nil
}

// pricePhase prices one period of phase for the subscription's customer.
func (c Subscriptions) pricePhase(ctx context.Context, s subscription.State, phase subscription.Phase,
	couponApplies bool, credit int64) (pricing.Quote, error) {
	return c.Pricer.PricePeriod(ctx, PeriodRequest{
		Target: Target{CustomerID: s.CustomerID, AccountID: s.AccountID, SiteID: s.SiteID},
		Phase:  phase, CouponApplies: couponApplies, Credit: credit})
}
