package commands

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// A renewal, plan change or gift term paid through 3-D Secure is decided twice: before the charge, and again
// once the payment arrives, on the subscription as it stands then. Whatever refuses it after the customer
// paid (the subscription ended or moved on, a gift term's recipient refuses the term, or the purchase could
// not even be recorded as awaited) gives the payment back in full at once: the customer never pays for
// nothing, and no operator has to notice.

// refundRefusedPurchase gives back, in full, the invoice that paid purchase p which was then refused, and
// records the refund on the invoice, where the customer's invoices show it refunded. The key names the
// purchase's kind and invoice (refusedPurchaseKey), so every retry of the same purchase (the request, the
// reactor's redelivery, `pelcro payments confirm`) refunds once; a failure is an error to retry, never the
// refusal alone. The amount is all the invoice has left to refund, a recorded fact, so a retry asks the
// gateway for the same refund under the same key (never an amount a retry recomputed from the sale).
func (c Subscriptions) refundRefusedPurchase(ctx context.Context, env Envelope, p subscription.Purchase) error {
	_, err := c.Invoices.Refund(ctx, env.derived("refund-refused-purchase"), p.InvoiceID, refusedPurchaseKey(p), math.MaxInt64)
	return err
}

// refusedPurchaseKey is the gateway idempotency key of the refund of purchase p's invoice: e.g.
// "renewal-refused:42", "change-refused:42", "gift-term-refused:42". Warning: a stored contract with the
// gateway; changing it refunds a retried refusal twice.
func refusedPurchaseKey(p subscription.Purchase) string {
	return strings.ReplaceAll(string(p.Kind), "_", "-") + "-refused:" + strconv.FormatInt(p.InvoiceID, 10)
}

// awaitRefused gives up the invoice of purchase p, which the subscription refused to await (refusal, see
// refusedOncePaid: it ended, another purchase started to wait, in another process, or the sale's address
// moved, while the card was being charged), so the
// 3-D Secure payment it started can take nothing: the invoice is voided and its intent canceled at the
// gateway (Invoices.VoidAbandoning; an intent a gateway cannot cancel is refunded when it completes, as for
// any void invoice). An intent the customer completed first paid the invoice: that payment is refunded in
// full at once. It answers refusal, or what kept it from giving the invoice up.
func (c Subscriptions) awaitRefused(ctx context.Context, env Envelope, p subscription.Purchase, refusal error) error {
	err := c.Invoices.VoidAbandoning(ctx, env.derived("await-refused"), p.InvoiceID)
	if errors.Is(err, invoice.ErrAlreadyPaid) {
		err = c.refundRefusedPurchase(ctx, env, p)
	}
	if err != nil {
		return err
	}
	return refusal
}

// refusedOncePaid reports whether err, answered when recording a purchase already charged, is a refusal that
// no retry of the same command overturns: a gift term's holder's (giftTermRefused), the subscription's (it
// ended, awaits another payment, took other terms or another plan meanwhile) or the sale's address's (it
// changed country or state, or went, while the card was charged: the attachment in the recording commit
// refuses it). Its payment must then be given back (recordPaidPurchase, awaitRefused).
func refusedOncePaid(err error) bool {
	if giftTermRefused(err) {
		return true
	}
	for _, refused := range []error{subscription.ErrEnded, subscription.ErrNotFound, subscription.ErrPaymentPending,
		subscription.ErrTooManyPhases, subscription.ErrCurrencyMismatch, subscription.ErrGiftDonor,
		subscription.ErrGiftRecipient, subscription.ErrGiftRenewalUnpaid, subscription.ErrPhasesPaid,
		subscription.ErrSamePlan, subscription.ErrInGiftTerm, ErrProrationMoved, ErrAddressMoved, ErrAddressNotFound,
		customer.ErrNotRegistered} {
		if errors.Is(err, refused) {
			return true
		}
	}
	return false
}
