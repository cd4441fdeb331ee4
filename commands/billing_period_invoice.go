package commands

import (
	"context"
	"fmt"
	"time"

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
	if s.Billing == subscription.BillingSendInvoice {
		create.DueAt = s.InvoiceDueAt() // what the billing clock holds the customer to
	}
	return NewInvoice{AccountID: s.AccountID, Invoice: create}, nil
}

// pricePhase prices one period of phase for the subscription's customer.
func (c Subscriptions) pricePhase(ctx context.Context, s subscription.State, phase subscription.Phase,
	couponApplies bool, credit int64) (pricing.Quote, error) {
	return c.Pricer.PricePeriod(ctx, PeriodRequest{
		Target: Target{CustomerID: s.CustomerID, AccountID: s.AccountID, SiteID: s.SiteID},
		Phase:  phase, CouponApplies: couponApplies, Credit: credit})
}

// renewalInvoiceScope records the invoice id of a send_invoice renewal under its billing command id.
// Warning: part of stored stream names; renaming it makes a rerun after a crash open a second invoice.
const renewalInvoiceScope = "subscription_renewal_invoice"

// renewalInvoiceID is the id of the renewal's invoice: recorded under the item's command id for a
// subscription paid by invoice (its invoice is opened before the renewal is recorded), freshly allocated
// otherwise (the renewal records it, and the charge opens it).
func (c Subscriptions) renewalInvoiceID(ctx context.Context, env Envelope, s subscription.State) (int64, error) {
	if s.Billing == subscription.BillingSendInvoice {
		return c.recordedID(ctx, env, renewalInvoiceScope, env.CommandID, c.Invoices.IDs)
	}
	return c.Invoices.IDs.Next(ctx)
}

// sendRenewalInvoice opens, for the customer to pay, the invoice of the period decide starts, priced as the
// subscription will stand once renewed; opening one already open is a no-op.
func (c Subscriptions) sendRenewalInvoice(ctx context.Context, env Envelope, s subscription.State,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) error {
	events, err := decide(s, c.now())
	if err != nil {
		return err
	}
	_, err = c.openPeriodInvoice(ctx, env.derived("open"), subscription.EvolveAll(s, events))
	return err
}
