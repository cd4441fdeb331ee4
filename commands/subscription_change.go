package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
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
// charged), what it charged, the credit that paid part of the proration, and the credit the change gave.
type ChangedPlan struct {
	SubscriptionResult
	InvoiceID  int64
	Charged    int64
	CreditUsed int64
	Credited   int64
}

// Change switches the subscription's plan now (rule 21), billed by subscription.State.ChangeBill: the
// subscription's credit pays the proration first, and what is left is invoiced (subscription_update) and
// charged at once to Payment, else to what the subscription charges unasked (savedPayment). The change is recorded only once paid
// (a decline voids the invoice and changes nothing; a card asking for 3-D Secure leaves it awaiting the
// payment intent, in the answer, and RecordInvoicePaid applies the change, prorated at the instant it was
// asked for, once the invoice is paid); a negative proration becomes the subscription's credit. The
// subscription takes the sale's address on the customer's stream in the commit that records the change (or
// the purchase awaiting 3-D Secure), never before: a change refused, declined included, attaches nothing.
// A refusal that comes only in that commit, after the charge (the address moved meanwhile, the
// subscription moved on), refunds the charge at once (recordPaidPurchase) or gives up the invoice awaiting
// 3-D Secure (awaitPayment). Refusals: subscription.ErrNotFound (another customer's too), the aggregate's,
// the Pricer's, the payment refusals of billNow (ErrPaymentMeansRequired only when neither Payment nor
// savedPayment finds a card), attachAddress's, ErrProrationMoved and ErrPurchaseRefunded.
func (c Subscriptions) Change(ctx context.Context, env Envelope, in PlanChange) (ChangedPlan, error) {
	defer c.lock(in.SubscriptionID)()
	s, sale, err := c.sell(ctx, in.SubscriptionSale)
	if err != nil {
		return ChangedPlan{}, err
	}
	phase := phaseOf(sale)
	change := subscription.Change{Terms: phase.Terms, Quantity: phase.Quantity, Coupon: phase.Coupon,
		AddressID: phase.AddressID, PeriodAmount: sale.Quote.Total}
	at := c.now()
	if in.CouponCode == "" {
		if change, err = c.Pricer.keepCoupon(ctx, in.Target, s, sale, change, at); err != nil {
			return ChangedPlan{}, err
		}
	}
	bill := s.ChangeBill(change, at)
	changed := ChangedPlan{Charged: bill.Due, CreditUsed: bill.CreditUsed, Credited: max(-bill.Net, 0)}
	var paid billed
	decided, err := subscription.ChangePlan(s, change, 0, at)
	if err != nil {
		paidBefore, err := c.refusedBeforeCharge(ctx, env, err)
		if err != nil {
			return ChangedPlan{}, err // refused before anything is charged
		}
		// the same change sent again after its charge: what it paid, never priced again
		paid.InvoiceID, bill.Due = paidBefore.ID, paidBefore.AmountPaid
		changed = ChangedPlan{InvoiceID: paidBefore.ID, Charged: paidBefore.AmountPaid}
	} else if bill.Due > 0 {
		proration := changeInvoice(in.CustomerID, s.ID, change, bill, sale.Quote)
		proration.Period = invoice.Period{Start: at, End: periodEndAfter(s, decided)}
		if paid, err = c.billNow(ctx, env, in.Target, proration, in.Payment, savedPayment(s)); err != nil {
			return ChangedPlan{}, err
		}
		changed.InvoiceID = paid.InvoiceID
	}
	purchase := subscription.Purchase{Kind: subscription.PurchaseChange, InvoiceID: paid.InvoiceID, Change: &change,
		Charged: bill.Due, At: at}
	if paid.Intent != nil {
		changed.SubscriptionResult, err = c.awaitPayment(ctx, env, in.Target, s.ID, sale, purchase, paid.Intent)
		return changed, err
	}
	changed.SubscriptionResult, err = c.recordPaidPurchase(ctx, env, purchase, bill.Due,
		func() (SubscriptionResult, error) {
			return c.handleAttached(ctx, env, in.Target, s.ID, sale,
				func(now subscription.State, _ time.Time) ([]subscription.Event, error) {
					if now.ChangeBill(change, at) != bill {
						return nil, ErrProrationMoved
					}
					return subscription.ChangePlan(now, change, changed.InvoiceID, at)
				})
		})
	return changed, err
}

// changeInvoice bills a change's proration: the whole net, whose taxes are the new price's share of it
// (quote, the plan priced for the change), less the credit that pays part of it (shown as a discount, as
// renewals show the credit they use).
func changeInvoice(customerID, subscriptionID int64, change subscription.Change, bill subscription.ChangeBill,
	quote pricing.Quote) invoice.Create {
	tax, inclusive := quote.TaxShare(bill.Net)
	return invoice.Create{CustomerID: customerID, Currency: change.Terms.Currency, SubscriptionID: subscriptionID,
		BillingReason: invoice.ReasonSubscriptionUpdate, Description: "Plan change proration",
		Lines: []invoice.Line{{Description: "Plan change proration", UnitAmount: bill.Net - tax, Quantity: 1}},
		Tax:   tax, InclusiveTax: inclusive, Discount: bill.CreditUsed}
}

// periodEndAfter is where the subscription's period ends once the events decided on s apply: the same end
// for a change within the billing interval, the end of the new period a change of interval starts. A
// change's invoice bills from the change to there.
func periodEndAfter(s subscription.State, decided []subscription.Event) time.Time {
	return subscription.EvolveAll(s, decided).PeriodEnd
}
