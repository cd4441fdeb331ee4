package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// SubscriptionPayment is how a renewal, change or gift term pays what it bills now: a saved chargeable
// source of the customer (SourceID), a single-use gateway token (Token at Gateway, "" for DefaultGateway),
// or neither (what the subscription charges unasked, savedPayment).
type SubscriptionPayment struct {
	SourceID int64
	Gateway  string
	Token    string
	// defaultFirst pays with the customer's chargeable default card rather than SourceID (see
	// InvoicePayment); only savedPayment sets it.
	defaultFirst bool
}

// paying is the payment of invoice invoiceID of who's by these means.
func (p SubscriptionPayment) paying(who Target, invoiceID int64) InvoicePayment {
	return InvoicePayment{Target: who, InvoiceID: invoiceID, SourceID: p.SourceID, Gateway: p.Gateway, Token: p.Token,
		defaultFirst: p.defaultFirst}
}

// Given reports whether the request named a means of payment.
func (p SubscriptionPayment) Given() bool { return p.SourceID != 0 || p.Token != "" }

// SubscriptionRules are checks other command families own, applied by renewals as well. A nil rule passes.
type SubscriptionRules struct {
	// Segments refuses a plan or coupon restricted to segments the customer is not in (rule 12).
	Segments func(ctx context.Context, who Target, plan SalePlan, coupon *SaleCoupon) error
}

// subscriptionLocks serialises, within the process, every customer command of one subscription (see
// keyedLocks): twenty concurrent renewals check the phase limit one after the other and none of them pays for
// a phase the limit then refuses; concurrent cancellations reach the gateway's refund one after the other, the
// later ones finding it done; and a change never charges while a cancellation refunds. Warning: a command
// holding it must not call another that takes it for the same subscription. Other processes do not see it:
// there the expected revision of every append, and the gateway keys derived from the subscription, are the
// guard (TestTwoProcessesCancellingRefundOnce).
var subscriptionLocks keyedLocks

// lock takes the subscription's lock: the process's, or the instance's own when it has one (a test standing
// in for another process).
func (c Subscriptions) lock(id int64) (unlock func()) {
	locks := c.locks
	if locks == nil {
		locks = &subscriptionLocks
	}
	return locks.lock(subscriptionStream(id))
}

// billedInvoiceScope records the invoice id a renewal's, change's or gift term's command was given.
// Warning: part of stored stream names; renaming it makes a retry across the change bill a second invoice.
const billedInvoiceScope = "subscription_billed_invoice"

// SubscriptionSale is what renew, change and gift renew share: the caller's subscription, the plan sold on
// it (Quantity: 0 for the subscription's own, see keptQuantity; CouponCode; AddressID: 0 for the
// subscription's address) and how it is paid now.
type SubscriptionSale struct {
	Target
	SubscriptionID int64
	PlanID         int64
	Quantity       int64
	CouponCode     string
	AddressID      int64
	Payment        SubscriptionPayment
}

// sell loads the caller's subscription and prices the sale on it (at keptQuantity): the quantity's and
// coupon code's rules, the subscription being the caller's (another customer's reads as none), the Pricer's
// rules at the request's address or the subscription's, the segment rule, and one period's total within
// one charge (PeriodTotalProblems, whether it is paid now or billed by the billing clock later). It writes
// nothing: the caller attaches the subscription to the sale's address (attachAddress, handleAttached). The
// caller holds the subscription's lock.
func (c Subscriptions) sell(ctx context.Context, in SubscriptionSale) (subscription.State, Sale, error) {
	problems := couponCodeProblems(in.CouponCode)
	if in.Quantity != 0 {
		problems = append((subscription.New{Quantity: in.Quantity}).Problems(), problems...)
	}
	if len(problems) > 0 {
		return subscription.State{}, Sale{}, problems
	}
	s, err := c.Read(ctx, in.SubscriptionID)
	if err != nil {
		return s, Sale{}, err
	}
	if !s.BelongsTo(in.CustomerID, in.AccountID) {
		return subscription.State{}, Sale{}, subscription.ErrNotFound
	}
	if in.AddressID == 0 {
		in.AddressID = s.AddressID
	}
	sale, err := c.Pricer.Price(ctx, SaleRequest{Target: in.Target, PlanID: in.PlanID, Quantity: keptQuantity(s, in.Quantity),
		CouponCode: in.CouponCode, AddressID: in.AddressID})
	if err == nil {
		err = c.Rules.segments(ctx, in.Target, sale)
	}
	if err == nil {
		err = subscription.PeriodTotalProblems(sale.Quote.Total).Err()
	}
	return s, sale, err
}

// priceNew prices a request whose values passed InputProblems, in the order docs/subscriptions.md gives:
// the plan and the values it rules (domains and ip_addresses on a membership only), then the business
// rules: the Pricer's (coupon, address, area) and the segments'; last, one period's total within one charge
// (subscription.PeriodTotalProblems, under quantity).
func (c Subscriptions) priceNew(checks context.Context, in NewSubscription) (Sale, error) {
	request := SaleRequest{Target: in.Target, PlanID: in.PlanID, Quantity: max(in.Quantity, 1),
		CouponCode: in.CouponCode, AddressID: in.AddressID}
	plan, err := c.Pricer.Plan(checks, request)
	if err != nil {
		return Sale{}, err
	}
	if err := in.decision(Sale{Plan: plan}).Problems().Err(); err != nil {
		return Sale{}, err
	}
	sale, err := c.Pricer.PricePlan(checks, request, plan)
	if err == nil {
		err = c.Rules.segments(checks, in.Target, sale)
	}
	if err == nil {
		err = subscription.PeriodTotalProblems(sale.Quote.Total).Err()
	}
	return sale, err
}

// keptQuantity is the quantity a sale on the subscription s sells when asked for quantity: that one, or
// for none (0) the subscription's own, also the one held aside while a gift's term runs. It is the one rule
// of POST /subscription/change and of the price preview of a change (PricePreviews), so the preview prices
// what the change bills.
func keptQuantity(s subscription.State, quantity int64) int64 {
	if quantity != 0 {
		return quantity
	}
	return s.OwnPhase().Quantity
}

// segments applies the segment rule to a priced sale; without a rule everybody may buy.
func (r SubscriptionRules) segments(ctx context.Context, who Target, sale Sale) error {
	if r.Segments == nil {
		return nil
	}
	return r.Segments(ctx, who, sale.Plan, sale.Coupon)
}

// billed is what billNow billed: the invoice (0: none), and the payment intent the customer must complete
// when the card asks for 3-D Secure (the invoice then waits for it; nothing is paid yet).
type billed struct {
	InvoiceID int64
	Intent    *payments.Intent
}

// billNow opens the invoice bill under the id recorded for the command and pays it with pay or, when the
// request names no means, with saved (savedPayment of the subscription: the customer's chargeable default
// card, else the subscription's own), refused ErrPaymentMeansRequired before anything is opened when that
// finds no card either (requireMeans). An invoice of zero is paid by opening it.
// A refused payment voids the invoice, so a decline leaves nothing to pay and nothing paid; a card asking for
// 3-D Secure leaves the invoice waiting for its intent; a gateway that cannot be reached leaves the attempt
// pending for a retry to settle. The same command again (a retry after a crash) finds the same invoice:
// paid, it goes on to record what was paid for; voided, it is the decline, or ErrPurchaseAbandoned when the
// invoice was voided because its 3-D Secure was given up (no card declined anything); awaiting 3-D Secure,
// the same intent.
func (c Subscriptions) billNow(ctx context.Context, env Envelope, who Target, bill invoice.Create,
	pay, saved SubscriptionPayment) (billed, error) {
	if !pay.Given() {
		pay = saved
	}
	if total(bill) > 0 {
		if err := c.requireMeans(ctx, who, pay); err != nil {
			return billed{}, err
		}
	}
	id, err := c.recordedID(ctx, env, billedInvoiceScope, env.CommandID, c.Invoices.IDs)
	if err != nil {
		return billed{}, err
	}
	if _, err := c.Invoices.Open(ctx, env.derived("invoice"), id, NewInvoice{AccountID: who.AccountID, Invoice: bill}); err != nil {
		return billed{}, err
	}
	if total(bill) == 0 {
		return billed{InvoiceID: id}, nil
	}
	paid, err := c.Invoices.Pay(ctx, env.derived("pay"), pay.paying(who, id))
	switch {
	case errors.Is(err, invoice.ErrAlreadyPaid):
		return billed{InvoiceID: id}, nil
	case errors.Is(err, invoice.ErrVoid):
		s, err := c.Invoices.Read(ctx, id)
		if err != nil {
			return billed{}, err
		}
		return billed{}, voidedRefusal(s)
	case err == nil:
		return billed{InvoiceID: id, Intent: paid.Intent}, nil
	case abandoned(err):
		return billed{}, ErrPurchaseAbandoned // this very command's 3-D Secure, given up: the invoice is void
	case errors.As(err, new(*payments.Declined)), errors.Is(err, ErrSourceNotFound), errors.Is(err, ErrUnknownGateway):
		if _, voidErr := c.Invoices.Void(ctx, env.derived("void"), id); voidErr != nil {
			return billed{}, voidErr
		}
	}
	return billed{}, err
}

// requireMeans refuses ErrPaymentMeansRequired a charge that has nothing to pay with: no means named, no card
// of the subscription's own and, where savedPayment charges the default (every subscription but a gift
// given), no chargeable default card of the customer's either. A subscription without a card of its own is
// so charged like the billing clock charges it (invoicePayment), as Stripe charges the customer's default.
func (c Subscriptions) requireMeans(ctx context.Context, who Target, pay SubscriptionPayment) error {
	if pay.Given() {
		return nil
	}
	if pay.defaultFirst {
		if _, err := c.Invoices.means(ctx, pay.paying(who, 0)); !errors.Is(err, ErrSourceNotFound) {
			return err
		}
	}
	return ErrPaymentMeansRequired
}

// awaitPayment records on subscription id the purchase whose invoice waits for 3-D Secure, with the intent
// in the answer, and in the same commit attaches the subscription to the address of attach, the purchase's
// sale (handleAttached; the zero Sale: nothing to attach). An invoice paid before the purchase was recorded
// (the intent completed at once) found nothing to settle when the reactor saw it, so it is settled here. A
// subscription that refuses to await it (refusedOncePaid: it ended, awaits another purchase, or the sale's
// address changed country or state, or went, since the checks before the charge) has its invoice given up
// and any payment through it refunded (awaitRefused), and the refusal is the answer.
func (c Subscriptions) awaitPayment(ctx context.Context, env Envelope, who Target, id int64, attach Sale,
	p subscription.Purchase, intent *payments.Intent) (SubscriptionResult, error) {
	result, err := c.handleAttached(ctx, env, who, id, attach, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.AwaitPayment(s, p, now)
	})
	result.PaymentIntent = intent
	if refusedOncePaid(err) {
		return SubscriptionResult{}, c.awaitRefused(ctx, env, p, err)
	}
	if err != nil {
		return result, err
	}
	bill, err := c.Invoices.Read(ctx, p.InvoiceID)
	if err != nil || bill.Status != invoice.StatusPaid {
		return result, err
	}
	settled, err := c.RecordInvoicePaid(ctx, env.derived("paid"), p.InvoiceID, bill.Total)
	if err == nil && !settled.Written().IsZero() {
		settled.PaymentIntent = intent
		return settled, nil
	}
	return result, err
}

// total is what the invoice bill comes to.
func total(bill invoice.Create) int64 {
	sum := bill.Tax - bill.Discount
	for _, l := range bill.Lines {
		sum += l.Amount()
	}
	return sum
}
