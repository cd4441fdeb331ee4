package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// PricePreviews answers the price preview (POST /order, #32): what a plan would cost the customer, priced
// by the same Pricer and segment rule as subscription create and change, so the preview is what the invoice
// bills and never shows a plan or coupon the customer could not buy. It writes nothing.
type PricePreviews struct {
	Pricer Pricer
	Store  eventstore.Store
	// Rules is the segment rule (rule 12) as Subscriptions applies it.
	Rules SubscriptionRules
	// Now is the instant prorations are computed at; nil means time.Now.
	Now func() time.Time
}

// PreviewRequest is a plan to price for the customer of Target, with an optional coupon code, address (0:
// the default shipping address, if any) and subscription of the customer's to price the change of (0: none).
type PreviewRequest struct {
	Target
	PlanID         int64
	CouponCode     string
	AddressID      int64
	SubscriptionID int64
}

// Preview is one period of the plan priced for the customer. With a subscription, the sale has the
// subscription's own quantity and address (unless the request names one; during a gift's term, those held
// aside, not the gift's), its credit pays part of the quote
// (Quote.Balance), and Proration is what changing it to the plan now would cost, billed as Change says
// (the credit paying it first): both nil when the subscription cannot change to the plan (ended, waiting
// for a payment, a gift, a gift's terms running, another currency, the same plan), which POST
// /subscription/change explains.
type Preview struct {
	Sale      Sale
	Proration *pricing.Proration
	Change    *subscription.ChangeBill
}

// Preview prices the request. Refusals: those of Pricer.Price, the segment rule's (a plan or coupon kept
// for segments the customer is not in reads as unknown, as on create), and subscription.ErrNotFound for a
// subscription that is not the customer's (unknown or another's: the same answer).
func (p PricePreviews) Preview(ctx context.Context, r PreviewRequest) (Preview, error) {
	sale := SaleRequest{Target: r.Target, PlanID: r.PlanID, Quantity: 1, CouponCode: r.CouponCode, AddressID: r.AddressID}
	var current subscription.State
	if r.SubscriptionID != 0 {
		h, err := load(ctx, p.Store, SubscriptionAggregate, subscriptionStream(r.SubscriptionID), "")
		if err != nil {
			return Preview{}, err
		}
		if current = h.state; !current.BelongsTo(r.CustomerID, r.AccountID) {
			return Preview{}, subscription.ErrNotFound
		}
		// a change keeps the subscription's own quantity and address, also those held aside while a gift's
		// term runs: it is refused then, and changes them once the gift's terms end
		sale.Quantity = keptQuantity(current, 0)
		if sale.AddressID == 0 {
			sale.AddressID = current.OwnPhase().AddressID
		}
	}
	priced, err := p.Pricer.Price(ctx, sale)
	if err == nil {
		err = p.Rules.segments(ctx, r.Target, priced)
	}
	if err != nil || r.SubscriptionID == 0 {
		return Preview{Sale: priced}, err
	}
	priced.Quote = priced.Quote.WithBalance(current.Credit)
	preview := Preview{Sale: priced}
	change := subscription.Change{Terms: priced.Plan.Terms, Quantity: sale.Quantity, AddressID: priced.AddressID,
		PeriodAmount: priced.Quote.Total}
	if priced.Coupon != nil {
		change.Coupon = &priced.Coupon.Coupon
	}
	at := p.now()
	if r.CouponCode == "" { // the change keeps the subscription's coupon, as POST /subscription/change does
		if change, err = p.Pricer.keepCoupon(ctx, r.Target, current, priced, change, at); err != nil {
			return Preview{}, err
		}
	}
	if current.Changeable(change) == nil {
		proration, bill := current.Proration(change, at), current.ChangeBill(change, at)
		preview.Proration, preview.Change = &proration, &bill
	}
	return preview, nil
}

func (p PricePreviews) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}
