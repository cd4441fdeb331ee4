package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// ErrPurchaseRefunded: the same command sent again found its purchase refused after the payment, and the
// payment refunded in full; it gives nothing, and charges nothing. Buying again is a new request.
var ErrPurchaseRefunded = errors.New("commands: the purchase was refused after its payment, which was refunded")

// ErrPurchaseAbandoned: the same command sent again found its purchase's invoice voided while it waited for
// 3-D Secure (nobody completed it by its deadline, or the subscription was cancelled now): the customer's
// card declined nothing, and nothing was charged. Buying again is a new request.
var ErrPurchaseAbandoned = errors.New("commands: the purchase was given up unpaid while it waited for 3-D Secure")

// recordPaidPurchase records, with record, purchase p (a plan change, a renewal or a gift term) whose invoice
// was just paid amount at once (by billNow; a payment through 3-D Secure goes through awaitPayment instead).
// A refusal that comes only then (refusedOncePaid: the subscription moved on, or the sale's address changed
// country or state, or went, while the card was charged) gives the payment back in full at once
// (refundRefusedPurchase) and is the answer: every charge ends as a purchase given or a refund recorded on
// its invoice. A refund that fails is an error to retry: the same command again finds the invoice paid and
// records the purchase or refunds it, once (the refund's key names the purchase). The same command again
// after the refund records nothing (notRefunded), though what refused it may be gone meanwhile: a
// refunded payment never buys anything. Hence the invoice is read before recording.
func (c Subscriptions) recordPaidPurchase(ctx context.Context, env Envelope, p subscription.Purchase, amount int64,
	record func() (SubscriptionResult, error)) (SubscriptionResult, error) {
	if amount > 0 {
		if err := c.notRefunded(ctx, p); err != nil {
			return SubscriptionResult{}, err
		}
	}
	result, err := record()
	if amount > 0 && refusedOncePaid(err) {
		if refundErr := c.refundRefusedPurchase(ctx, env, p); refundErr != nil {
			return result, fmt.Errorf("commands: %s refused (%v) after its payment: %w", p.Kind, err, refundErr)
		}
	}
	return result, err
}

// refusedBeforeCharge is the answer to refusal, found by the checks a command makes before charging: the
// refusal, unless it is one that comes after a charge too (refusedOncePaid) and the same command already paid
// its invoice (a retry of a purchase refused after its charge, whose refund failed or whose answer was lost,
// or of one recorded whose answer was lost): then that invoice, for the command to record the purchase or
// refund it (recordPaidPurchase), where a purchase it already recorded on the same stream is recognised (its
// events landed) and answered as before. Warning: answering the refusal here would keep the payment for
// nothing; refunding here would refund a purchase recorded before its answer was lost; and a caller must not
// price the purchase again (a change's proration may be nothing by now): the invoice paid is what it bought.
func (c Subscriptions) refusedBeforeCharge(ctx context.Context, env Envelope, refusal error) (invoice.State, error) {
	if !refusedOncePaid(refusal) || env.NewCommandID { // a command id drawn for this call never ran before
		return invoice.State{}, refusal
	}
	bill, billed, err := c.billedBefore(ctx, env)
	if err != nil || !billed || bill.Status != invoice.StatusPaid {
		return invoice.State{}, cmp.Or(err, refusal)
	}
	return bill, nil
}

// billedBefore is the invoice an earlier attempt of the same command billed (billNow reserved its id under
// the command's), billed false when none did.
func (c Subscriptions) billedBefore(ctx context.Context, env Envelope) (invoice.State, bool, error) {
	id, billed, err := c.reservations().Owner(ctx, billedInvoiceScope, recordScope, env.CommandID)
	if err != nil || !billed {
		return invoice.State{}, false, err
	}
	bill, err := c.Invoices.Read(ctx, id)
	return bill, err == nil, err
}

// refundedRefusal is the answer to purchase p sent again after its payment was refunded as refused:
// subscription.ErrGiftTermRefunded for a gift term (as its payment heard again answers), else
// ErrPurchaseRefunded.
func refundedRefusal(p subscription.Purchase) error {
	if p.Kind == subscription.PurchaseGiftTerm {
		return subscription.ErrGiftTermRefunded
	}
	return ErrPurchaseRefunded
}

// voidedRefusal is the answer to a purchase sent again whose invoice bill was voided: ErrPurchaseAbandoned
// when its 3-D Secure attempt was given up unpaid (at its deadline, or by an immediate cancellation), else
// the card's decline that voided it.
func voidedRefusal(bill invoice.State) error {
	declined := &payments.Declined{Reason: payments.DeclineReason(bill.Declined)}
	if abandoned(declined) {
		return ErrPurchaseAbandoned
	}
	return declined
}

// abandoned reports whether err is the decline recorded for a 3-D Secure attempt given up unpaid
// (abandonedAuthentication), which no card refused.
func abandoned(err error) bool {
	var declined *payments.Declined
	return errors.As(err, &declined) && declined.Reason == abandonedAuthentication
}
