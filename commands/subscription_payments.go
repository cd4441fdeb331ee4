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
// term awaiting 3-D Secure, applies what it paid for (subscription.SettlePurchase). A purchase refused by
// then (the subscription ended or moved on, or a gift term's recipient refuses it) is refunded in full at
// once (refundRefusedPurchase), before it is settled unapplied with the reason, so a redelivery refunds
// once; a gift term whose invoice was refunded so already stays refused (termNotRefunded), though the
// settlement failed. An invoice the subscription does not wait for is a no-op, and so is a subscription
// that was never created (a creation that stopped after paying); the caller derives env's command id from
// the event it reacts to, so a redelivery writes nothing twice.
func (c Subscriptions) RecordInvoicePaid(ctx context.Context, env Envelope, invoiceID, amount int64) (SubscriptionResult, error) {
	paid, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil {
		return SubscriptionResult{}, err
	}
	return c.recordPaid(ctx, env, paid, amount)
}

// errRefusedMeanwhile: the subscription came to refuse the awaited purchase between the read that found it
// applicable and the append (or the gift whose term it is was redeemed meanwhile); recordPaid reads again,
// to refund it before settling it unapplied (or to give the term to the recipient's subscription).
var errRefusedMeanwhile = errors.New("commands: the purchase was refused since it was read")

// recordPaid is RecordInvoicePaid for the paid invoice already read.
func (c Subscriptions) recordPaid(ctx context.Context, env Envelope, paid invoice.State,
	amount int64) (SubscriptionResult, error) {
	if paid.SubscriptionID == 0 {
		return SubscriptionResult{}, nil
	}
	for {
		result, err := c.settlePaid(ctx, env, paid, amount)
		if errors.Is(err, subscription.ErrNotFound) {
			return SubscriptionResult{SubscriptionID: paid.SubscriptionID}, nil
		}
		if !errors.Is(err, errRefusedMeanwhile) {
			return result, err
		}
	}
}

// settlePaid records the invoice paid on the subscription as it reads now: an awaited purchase is applied,
// or refunded and settled unapplied when the subscription refuses it (refusedPurchase); one that comes to
// be refused only after the read is errRefusedMeanwhile, nothing written.
func (c Subscriptions) settlePaid(ctx context.Context, env Envelope, paid invoice.State,
	amount int64) (SubscriptionResult, error) {
	invoiceID := paid.ID
	s, err := c.Read(ctx, paid.SubscriptionID)
	if err != nil {
		return SubscriptionResult{}, err
	}
	readRedeemed := s.GiftRedeemed
	settle := func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		if s.Awaiting == nil || s.Awaiting.InvoiceID != invoiceID {
			return subscription.RecordPayment(s, invoiceID, amount, now)
		}
		if s.Awaiting.Kind == subscription.PurchaseGiftTerm && s.GiftRedeemed && !readRedeemed {
			// redeemed since the read: settled here, the term would go nowhere; read again, and
			// refusedPurchase gives it to the recipient's subscription (or refunds its refusal)
			return nil, errRefusedMeanwhile
		}
		settled, err := subscription.SettlePurchase(s, invoiceID, now)
		if _, refused := refusalIn(settled); refused {
			return nil, errRefusedMeanwhile
		}
		return settled, err
	}
	if p := s.Awaiting; p != nil && p.InvoiceID == invoiceID {
		reason, refused, err := c.refusedPurchase(ctx, s, *p)
		if err != nil {
			return SubscriptionResult{}, err
		}
		if refused {
			if err := c.refundRefusedPurchase(ctx, env, *p); err != nil {
				return SubscriptionResult{}, err
			}
			settle = func(s subscription.State, now time.Time) ([]subscription.Event, error) {
				return subscription.RefusePurchase(s, invoiceID, reason, now)
			}
		}
	}
	return c.handle(ctx, env, paid.SubscriptionID, settle)
}

// refusedPurchase reports whether, and why, the awaited purchase p of s is refused now that its invoice is
// paid: one whose invoice was refunded as refused already stays refused (notRefunded: a try that refunded
// it and then failed to record the refusal, though what refused it may be gone by now); a gift term
// redeemed is given to the recipient's subscription here (giveAwaitedTerm); anything else is decided by
// subscription.SettlePurchase on s. A payment under way is no refusal (SettlePurchase reports it when
// settling, for the reactor to try again).
func (c Subscriptions) refusedPurchase(ctx context.Context, s subscription.State, p subscription.Purchase) (
	reason string, refused bool, err error) {
	if err := c.notRefunded(ctx, p); err != nil {
		if errors.Is(err, ErrPurchaseRefunded) || errors.Is(err, subscription.ErrGiftTermRefunded) {
			return err.Error(), true, nil
		}
		return "", false, err
	}
	if p.Kind == subscription.PurchaseGiftTerm && s.GiftRedeemed {
		refusal, err := c.giveAwaitedTerm(ctx, p.InvoiceID, s, *p.Phase)
		if refusal != nil {
			return refusal.Error(), true, err
		}
		return "", false, err
	}
	settled, err := subscription.SettlePurchase(s, p.InvoiceID, c.now())
	if err != nil {
		return "", false, nil
	}
	reason, refused = refusalIn(settled)
	return reason, refused, nil
}

// refusalIn is the refusal of a purchase settled unapplied among events, if they settle one so.
func refusalIn(events []subscription.Event) (string, bool) {
	for _, e := range events {
		if settled, ok := e.(subscription.PurchaseSettled); ok && !settled.Applied {
			return settled.Refusal, true
		}
	}
	return "", false
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
// was refunded as refused already (refundRefusedPurchase): a try that refunded it and then failed to record
// the refusal, or whose answer was lost. Its holder may take the term by now (the invoice it owed paid
// meanwhile), but the donor has the money back: giving it as well would give the term twice over.
func (c Subscriptions) termNotRefunded(ctx context.Context, invoiceID int64) error {
	return c.notRefunded(ctx, subscription.Purchase{Kind: subscription.PurchaseGiftTerm, InvoiceID: invoiceID})
}

// notRefunded refuses purchase p whose invoice was refunded as refused already (refundRefusedPurchase) with
// refundedRefusal: a refunded payment never buys anything, whatever changed since.
func (c Subscriptions) notRefunded(ctx context.Context, p subscription.Purchase) error {
	bill, err := c.Invoices.Read(ctx, p.InvoiceID)
	if err != nil {
		return err
	}
	if _, refunded := bill.RefundedUnder(refusedPurchaseKey(p)); refunded {
		return refundedRefusal(p)
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
