package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// RecordInvoicePaid records on its subscription that an invoice of it was paid (the reactor to invoice.paid:
// a first invoice whose 3-D Secure was completed, a dunned invoice the customer paid with POST
// /invoices/{id}/pay), so the subscription becomes active; or, for the invoice of a renewal, change or gift
// term awaiting 3-D Secure, applies what it paid for (subscription.SettlePurchase). A gift term refused by
// then (by the recipient's subscription, or by the donor's gift not redeemed yet, canceled meanwhile:
// awaitedTermRefusal) is refunded to the donor in full (refundRefusedTerm), before
// the purchase is settled unapplied with the reason, so a redelivery refunds once; a term whose invoice
// was refunded so already stays refused (termNotRefunded), though the settlement failed. An invoice the
// subscription does not wait for is a no-op, and so is a subscription that was never created (a creation
// that stopped after paying); the caller derives env's command id from the event it reacts to, so a
// redelivery writes nothing twice.
func (c Subscriptions) RecordInvoicePaid(ctx context.Context, env Envelope, invoiceID, amount int64) (SubscriptionResult, error) {
	paid, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil {
		return SubscriptionResult{}, err
	}
	return c.recordPaid(ctx, env, paid, amount)
}

// recordPaid is RecordInvoicePaid for the paid invoice already read.
func (c Subscriptions) recordPaid(ctx context.Context, env Envelope, paid invoice.State,
	amount int64) (SubscriptionResult, error) {
	invoiceID := paid.ID
	if paid.SubscriptionID == 0 {
		return SubscriptionResult{}, nil
	}
	s, err := c.Read(ctx, paid.SubscriptionID)
	if err != nil {
		return SubscriptionResult{}, err
	}
	settle := func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		if s.Awaiting != nil && s.Awaiting.InvoiceID == invoiceID {
			return subscription.SettlePurchase(s, invoiceID, now)
		}
		return subscription.RecordPayment(s, invoiceID, amount, now)
	}
	if p := s.Awaiting; p != nil && p.InvoiceID == invoiceID && p.Kind == subscription.PurchaseGiftTerm {
		settleOrPay := settle
		settle = func(s subscription.State, now time.Time) ([]subscription.Event, error) {
			if subscription.PurchaseRefusal(s, invoiceID, now) != nil {
				return nil, errTermRefusedMeanwhile // refunded on the retry, decided on the donor as it stands
			}
			return settleOrPay(s, now)
		}
		if refusal, err := c.awaitedTermRefusal(ctx, invoiceID, s, *p.Phase); err != nil {
			return SubscriptionResult{}, err
		} else if refusal != nil {
			if err := c.refundRefusedTerm(ctx, env, invoiceID, paid.Total); err != nil {
				return SubscriptionResult{}, err
			}
			settle = func(s subscription.State, now time.Time) ([]subscription.Event, error) {
				return subscription.RefusePurchase(s, invoiceID, refusal.Error(), now)
			}
		}
	}
	result, err := c.handle(ctx, env, paid.SubscriptionID, settle)
	if errors.Is(err, subscription.ErrNotFound) {
		return SubscriptionResult{SubscriptionID: paid.SubscriptionID}, nil
	}
	return result, err
}

// errTermRefusedMeanwhile: the donor's subscription came to refuse its awaited gift term between the
// check that found nothing to refund and the settlement; transient, for the reactor to try again, refund
// and settle it refused.
var errTermRefusedMeanwhile = errors.New("commands: the gift's awaited term was refused meanwhile")

// awaitedTermRefusal is why the gift term an awaited invoice paid for is refused, to be refunded: once the
// gift is redeemed, the refusal of the recipient's subscription as the term is given to it
// (giveAwaitedTerm); before, the donor's own refusal, which the settlement would record
// (subscription.PurchaseRefusal: the gift was canceled meanwhile), or the refund made already
// (termNotRefunded). nil: the term is given, or is the settlement's to add.
func (c Subscriptions) awaitedTermRefusal(ctx context.Context, invoiceID int64, donor subscription.State,
	term subscription.Phase) (refusal, err error) {
	if donor.GiftRedeemed {
		return c.giveAwaitedTerm(ctx, invoiceID, donor, term)
	}
	if err := c.termNotRefunded(ctx, invoiceID); err != nil {
		return refusalOf(err)
	}
	return subscription.PurchaseRefusal(donor, invoiceID, c.now()), nil
}

// giveAwaitedTerm gives the gift term an awaited invoice paid for to the subscription the gift was redeemed
// into, before the donor's purchase is settled. Its command id derives from the invoice, so the reactor and
// the request that saw the invoice paid give it once. A refusal of the recipient's subscription (it ended,
// or owes an invoice since the donor paid: a term after it would be lost to dunning) is returned apart, for
// the donor's payment to be refunded and the purchase settled unapplied with the reason; a payment pending
// there is transient, no refusal: it is returned as an error, for the reactor to try again.
func (c Subscriptions) giveAwaitedTerm(ctx context.Context, invoiceID int64, donor subscription.State,
	term subscription.Phase) (refusal, err error) {
	if err := c.termNotRefunded(ctx, invoiceID); err != nil {
		return refusalOf(err)
	}
	env := Envelope{CommandID: "gift-term-paid:" + strconv.FormatInt(invoiceID, 10), Actor: "system:subscription-payments"}
	term.AddressID, term.GiftOf = 0, donor.ID // the recipient's address, not the donor's; the gift named
	_, err = c.giveGiftTerms(ctx, env, donor.ID, donor.RedeemedInto, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.AddGiftPhase(s, term, now)
	})
	return refusalOf(err)
}

// refusalOf splits err into a refusal of the gift term (giftTermRefused) and any other error.
func refusalOf(err error) (refusal, other error) {
	if giftTermRefused(err) {
		return err, nil
	}
	return nil, err
}

// termNotRefunded refuses (subscription.ErrGiftTermRefunded) to give a gift term whose invoice invoiceID
// was refunded as refused already (refundRefusedTerm): a try that refunded it and then failed to record
// the refusal, or whose answer was lost. Its holder may take the term by now (the invoice it owed paid
// meanwhile), but the donor has the money back: giving it as well would give the term twice over.
func (c Subscriptions) termNotRefunded(ctx context.Context, invoiceID int64) error {
	paid, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil {
		return err
	}
	if _, refunded := paid.RefundedUnder(refusedTermRefundKey(invoiceID)); refunded {
		return subscription.ErrGiftTermRefunded
	}
	return nil
}

// giftTermRefused reports whether err is the gift term's holder refusing a term the donor already paid
// for (it ended, or took other terms or an invoice since the checks before the charge): the payment must
// then be given back or settled unapplied, as no retry will give the term.
func giftTermRefused(err error) bool {
	for _, refused := range []error{subscription.ErrEnded, subscription.ErrNotFound, subscription.ErrTooManyPhases,
		subscription.ErrCurrencyMismatch, subscription.ErrInvalid, subscription.ErrInvoiceUnpaid,
		subscription.ErrGiftTermRefunded} {
		if errors.Is(err, refused) {
			return true
		}
	}
	return false
}

// refundRefusedTerm gives the donor back, in full, the invoice that paid a gift term its holder then
// refused (giftTermRefused: a renewal from another server took the last phase meanwhile, or the recipient's
// subscription came to owe an invoice before 3-D Secure was completed), and records the refund on the
// invoice, where the donor's invoices show it refunded. The key names the invoice, so every retry of the
// same purchase (the request, or the reactor's redelivery) refunds once; a failure is an error to retry,
// never the refusal alone.
func (c Subscriptions) refundRefusedTerm(ctx context.Context, env Envelope, invoiceID, amount int64) error {
	_, err := c.Invoices.Refund(ctx, env.derived("refund-refused-term"), invoiceID, refusedTermRefundKey(invoiceID), amount)
	return err
}

// refusedTermRefundKey is the refund key of the invoice of a gift term its holder refused.
func refusedTermRefundKey(invoiceID int64) string {
	return "gift-term-refused:" + strconv.FormatInt(invoiceID, 10)
}
