package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// ErrProrationMoved: the subscription changed (a new period started) between pricing a change and
// recording it; nothing was recorded and the customer may try again.
var ErrProrationMoved = errors.New("commands: the subscription changed while the plan change was billed")

// PlanChange is POST /subscription/change (#31): the subscription moves to the plan, quantity, coupon and
// address of the sale at once; without a coupon code it keeps its own coupon (Pricer.keepCoupon).
type PlanChange struct {
	SubscriptionSale
}

// ChangedPlan is where a change left the subscription, with the proration invoice (0 when nothing was
// charged) and the credit it gave.
type ChangedPlan struct {
	SubscriptionResult
	InvoiceID int64
	Charged   int64
	Credited  int64
}

// Change switches the subscription's plan now (rule 21), prorated by subscription.State.Proration: a
// positive net is invoiced (subscription_update) and charged at once to Payment, else to the subscription's
// saved card, and the change is recorded only once paid (a decline voids the invoice and changes nothing; a
// card asking for 3-D Secure leaves it awaiting the payment intent, in the answer, and RecordInvoicePaid
// applies the change, prorated at the instant it was asked for, once the invoice is paid);
// a negative net becomes the subscription's credit, which its next invoices use. Refusals:
// subscription.ErrNotFound (another customer's too), the aggregate's, the Pricer's, ErrPaymentMeansRequired and
// the payment refusals of billNow.
func (c Subscriptions) Change(ctx context.Context, env Envelope, in PlanChange) (ChangedPlan, error) {
	defer c.lock(in.SubscriptionID)()
	s, sale, err := c.sell(ctx, in.SubscriptionSale)
	if err != nil {
		return ChangedPlan{}, err
	}
	phase := phaseOf(sale, in.Quantity)
	change := subscription.Change{Terms: phase.Terms, Quantity: phase.Quantity, Coupon: phase.Coupon,
		AddressID: phase.AddressID, PeriodAmount: sale.Quote.Total}
	at := c.now()
	if in.CouponCode == "" {
		if change, err = c.Pricer.keepCoupon(ctx, in.Target, s, sale, change, at); err != nil {
			return ChangedPlan{}, err
		}
	}
	if _, err := subscription.ChangePlan(s, change, 0, at); err != nil {
		return ChangedPlan{}, err // refused before anything is charged
	}
	net := s.Proration(change, at).Net()
	var invoiceID int64
	if net > 0 {
		bill := invoice.Create{CustomerID: in.CustomerID, Currency: change.Terms.Currency, SubscriptionID: s.ID,
			BillingReason: invoice.ReasonSubscriptionUpdate, Description: "Plan change proration",
			Lines: []invoice.Line{{Description: "Plan change proration", UnitAmount: net, Quantity: 1}}}
		billed, err := c.billNow(ctx, env, in.Target, bill, in.Payment, s.Payment)
		if err != nil {
			return ChangedPlan{}, err
		}
		invoiceID = billed.InvoiceID
		if billed.Intent != nil {
			result, err := c.awaitPayment(ctx, env, s.ID, subscription.Purchase{Kind: subscription.PurchaseChange,
				InvoiceID: invoiceID, Change: &change, Charged: net, At: at}, billed.Intent)
			return ChangedPlan{SubscriptionResult: result, InvoiceID: invoiceID, Charged: net}, err
		}
	}
	result, err := c.handle(ctx, env, s.ID, func(now subscription.State, _ time.Time) ([]subscription.Event, error) {
		if now.Proration(change, at).Net() != net {
			return nil, ErrProrationMoved
		}
		return subscription.ChangePlan(now, change, invoiceID, at)
	})
	changed := ChangedPlan{SubscriptionResult: result, InvoiceID: invoiceID}
	if net > 0 {
		changed.Charged = net
	} else {
		changed.Credited = -net
	}
	return changed, err
}
