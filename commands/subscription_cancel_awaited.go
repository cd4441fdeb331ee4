package commands

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// voidAwaitedPurchase gives up the renewal, change or gift term that s, being cancelled now, awaits 3-D
// Secure for, before the cancellation refunds and ends it: the invoice decides, as at the purchase's
// deadline (Invoices.VoidAbandoning): the intent is canceled at the gateway where the gateway can, so the
// customer can no longer complete it, and the invoice voided. It returns the invoice voided, for
// subscription.FinishImmediateCancel to abandon the purchase in the commit that ends the subscription (0:
// nothing awaited, or nothing voided).
//
// An invoice paid before the cancellation reached the gateway (the customer completed 3-D Secure just in
// time) is recorded as paid instead, as the payments reactor would: the purchase is applied, and the
// cancellation's refund then gives it back with the rest, or it is refused and refunded at once
// (RecordInvoicePaid). Either way no money is kept for nothing, and a payment is never lost.
//
// Warning: the caller must read the subscription again afterwards, before computing its refund: a purchase
// recorded paid here changed what the subscription was funded by.
func (c Subscriptions) voidAwaitedPurchase(ctx context.Context, env Envelope, s subscription.State) (int64, error) {
	if s.Awaiting == nil {
		return 0, nil
	}
	id := s.Awaiting.InvoiceID
	err := c.Invoices.VoidAbandoning(ctx, env.derived("void-awaited"), id)
	if errors.Is(err, invoice.ErrAlreadyPaid) {
		bill, err := c.Invoices.Read(ctx, id)
		if err == nil {
			_, err = c.RecordInvoicePaid(ctx, env.derived("awaited-paid"), id, bill.Total)
		}
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	return id, nil
}
