package commands

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Refusals of billing a renewal, a change or a gift term now.
var (
	// ErrPaymentRequired: something must be paid now, and neither the request nor the subscription names a
	// card to charge.
	ErrPaymentRequired = errors.New("commands: a payment method is required")
	// ErrAuthenticationRequired: the card asks for 3-D Secure. Renewals, changes and gift terms charge
	// at once and do not wait for it: the invoice is left for the customer to pay (POST /invoices/{id}/pay)
	// and nothing is renewed or changed.
	ErrAuthenticationRequired = errors.New("commands: the card needs authentication")
)

// SubscriptionPayment is how a renewal, change or gift term pays what it bills now: a saved chargeable
// source of the customer (SourceID), a single-use gateway token (Token at Gateway, "" for DefaultGateway),
// or neither (the subscription's saved card).
type SubscriptionPayment struct {
	SourceID int64
	Gateway  string
	Token    string
}

// Given reports whether the request named a means of payment.
func (p SubscriptionPayment) Given() bool { return p.SourceID != 0 || p.Token != "" }

// SubscriptionRules are checks other command families own, applied by renewals, changes and gifts as well.
// A nil rule passes (GiftCode: no gift is found).
type SubscriptionRules struct {
	// Segments refuses a plan or coupon restricted to segments the customer is not in (rule 12).
	Segments func(ctx context.Context, who Target, plan SalePlan, coupon *SaleCoupon) error
	// Currency is the customer's currency ("" when none yet): the currency of what they already hold.
	Currency func(ctx context.Context, who Target) (string, error)
	// GiftCode is the donor subscription of a gift code in the account, or subscription.ErrNotGift.
	GiftCode func(ctx context.Context, accountID int64, code string) (int64, error)
}

// subscriptionLocks serialises, within the process, the renewals, changes and gift terms of one
// subscription (see keyedLocks), so twenty concurrent renewals check the phase limit one after the other
// and none of them pays for a phase the limit then refuses.
var subscriptionLocks keyedLocks

// checkSale applies the segment and currency rules to a priced sale for the customer.
func (c Subscriptions) checkSale(ctx context.Context, who Target, sale Sale) error {
	if c.Rules.Segments != nil {
		if err := c.Rules.Segments(ctx, who, sale.Plan, sale.Coupon); err != nil {
			return err
		}
	}
	return c.checkCurrency(ctx, who, sale.Plan.Terms.Currency)
}

// checkCurrency refuses a plan in another currency than the customer's.
func (c Subscriptions) checkCurrency(ctx context.Context, who Target, currency string) error {
	if c.Rules.Currency == nil {
		return nil
	}
	theirs, err := c.Rules.Currency(ctx, who)
	if err == nil && theirs != "" && theirs != currency {
		return subscription.ErrCurrencyMismatch
	}
	return err
}

// billNow opens the invoice bill under a fresh id and pays it with pay or, when the request names no means,
// with saved (the subscription's card). An invoice of zero is paid by opening it. A refused payment voids
// the invoice, so a decline leaves nothing to pay and nothing paid; a gateway that cannot be reached leaves
// the attempt pending for invoice pay to settle.
//
// Warning: the id is drawn per call. A request retried under the same Idempotency-Key is answered by the
// idempotency guard, but a retry after a crash between paying and recording what was paid for would
// bill again.
func (c Subscriptions) billNow(ctx context.Context, env Envelope, who Target, bill invoice.Create,
	pay SubscriptionPayment, saved subscription.Payment) (int64, error) {
	if !pay.Given() {
		pay = SubscriptionPayment{SourceID: saved.SourceID}
	}
	if pay.SourceID == 0 && pay.Token == "" && total(bill) > 0 {
		return 0, ErrPaymentRequired
	}
	id, err := c.Invoices.IDs.Next(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := c.Invoices.Open(ctx, env.derived("invoice"), id, NewInvoice{AccountID: who.AccountID, Invoice: bill}); err != nil {
		return 0, err
	}
	if total(bill) == 0 {
		return id, nil
	}
	paid, err := c.Invoices.Pay(ctx, env.derived("pay"), InvoicePayment{Target: who, InvoiceID: id,
		SourceID: pay.SourceID, Gateway: pay.Gateway, Token: pay.Token})
	switch {
	case err == nil && paid.Intent != nil:
		return 0, ErrAuthenticationRequired
	case errors.As(err, new(*payments.Declined)), errors.Is(err, ErrSourceNotFound), errors.Is(err, ErrUnknownGateway):
		if _, voidErr := c.Invoices.Void(ctx, env.derived("void"), id); voidErr != nil {
			return 0, voidErr
		}
		return 0, err
	}
	return id, err
}

// total is what the invoice bill comes to.
func total(bill invoice.Create) int64 {
	sum := bill.Tax - bill.Discount
	for _, l := range bill.Lines {
		sum += l.Amount()
	}
	return sum
}
