package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// Renewal is POST /subscription/renew (#30): another term on the plan after the subscription's current
// period and the phases already scheduled (or in their place, ReplaceUpcoming), paid now with Payment or,
// when none is given, billed by the billing clock when the phase starts.
type Renewal struct {
	SubscriptionSale
	CampaignKey     string
	ReplaceUpcoming bool
}

// Renew adds a renewal phase (rule 20). The phase is priced like a sale of the plan; the subscription's
// refusals (ended, payment pending, gift donor, a gift received renewed without a means of payment,
// MaxPhases, currency) are decided before anything is
// charged, and the phase is added only once its invoice is paid: a declined card adds nothing and voids the
// invoice. A card asking for 3-D Secure adds nothing yet: the answer carries the payment intent, and the
// phase is added when the invoice is paid (RecordInvoicePaid). The subscription takes the sale's address on
// the customer's stream in the commit that adds the phase (or records the purchase awaiting 3-D Secure),
// never before: a renewal refused, declined included, attaches nothing. A refusal that comes only in that
// commit, after the charge (the address moved meanwhile, the subscription moved on), refunds the charge at
// once (recordPaidPurchase) or gives up the invoice awaiting 3-D Secure (awaitPayment); the same command
// again after its charge is not refused by the checks before it (refusedBeforeCharge), so a refund that
// failed is made by the retry. Refusals:
// subscription.ErrNotFound (another customer's too), the aggregate's, the Pricer's, ErrPaymentMeansRequired
// only when a means was asked for, the payment refusals of billNow, attachAddress's and ErrPurchaseRefunded.
func (c Subscriptions) Renew(ctx context.Context, env Envelope, in Renewal) (SubscriptionResult, error) {
	if p := (subscription.New{Quantity: in.Quantity, CampaignKey: in.CampaignKey}).Problems(); len(p) > 0 {
		return SubscriptionResult{}, p
	}
	defer c.lock(in.SubscriptionID)()
	s, sale, err := c.sell(ctx, in.SubscriptionSale)
	if err != nil {
		return SubscriptionResult{}, err
	}
	renew := subscription.Renew{Phase: phaseOf(sale), ReplaceUpcoming: in.ReplaceUpcoming,
		Paying: in.Payment.Given()}
	at := c.now()
	if _, err := subscription.AddPhase(s, renew, at); err != nil {
		if _, err = c.refusedBeforeCharge(ctx, env, err); err != nil {
			return SubscriptionResult{}, err // refused before anything is charged
		}
	}
	var paid billed
	var charged int64
	if in.Payment.Given() {
		start := s.LastPeriodEnd()
		if in.ReplaceUpcoming {
			start = s.PeriodEnd
		}
		bill := saleInvoice(sale, renew.Phase, in.CustomerID, s.ID, "Renewal", start)
		if paid, err = c.billNow(ctx, env, in.Target, bill, in.Payment, savedPayment(s)); err != nil {
			return SubscriptionResult{}, err
		}
		renew.Phase.PaidBy, charged = paid.InvoiceID, total(bill)
	}
	purchase := subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: paid.InvoiceID, Phase: &renew.Phase,
		ReplaceUpcoming: in.ReplaceUpcoming, At: at}
	if paid.Intent != nil {
		return c.awaitPayment(ctx, env, in.Target, s.ID, sale, purchase, paid.Intent)
	}
	return c.recordPaidPurchase(ctx, env, purchase, charged, func() (SubscriptionResult, error) {
		return c.handleAttached(ctx, env, in.Target, s.ID, sale, func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
			return subscription.AddPhase(s, renew, at)
		})
	})
}

// phaseOf is the phase a priced sale buys: the plan as sold, the quantity priced, the coupon, the address
// it was taxed for.
func phaseOf(sale Sale) subscription.Phase {
	phase := subscription.Phase{Terms: sale.Plan.Terms, Quantity: sale.Quantity, AddressID: sale.AddressID}
	if sale.Coupon != nil {
		coupon := sale.Coupon.Coupon
		phase.Coupon = &coupon
	}
	return phase
}

// saleInvoice is the invoice of one period of a priced sale for the subscription, starting at start
// (billing_reason subscription_update: bought by the customer, not by the billing cycle).
func saleInvoice(sale Sale, phase subscription.Phase, customerID, subscriptionID int64, what string,
	start time.Time) invoice.Create {
	terms := sale.Plan.Terms
	bill := InvoiceOf(sale.Quote, invoice.Line{Description: what, UnitAmount: terms.Amount, Quantity: phase.Quantity})
	bill.CustomerID, bill.Currency, bill.SubscriptionID = customerID, terms.Currency, subscriptionID
	bill.BillingReason = invoice.ReasonSubscriptionUpdate
	bill.Period = invoice.Period{Start: start, End: terms.PeriodEnd(start)}
	return bill
}
