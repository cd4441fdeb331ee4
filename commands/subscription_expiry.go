package commands

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// expirePayment gives up on the payment s awaited past its deadline (due kind payment_expiry: a first
// invoice, or a renewal's, change's or gift term's, waiting for 3-D Secure). The invoice decides, as for an
// order nobody finished: its intent is canceled at the gateway where the gateway can, and the invoice voided
// (Invoices.VoidAbandoning), so no payment can go through any more; only then is the purchase abandoned, or
// the new subscription ended incomplete_expired. An invoice paid before that (the customer completed 3-D
// Secure just in time, or before the cancellation reached the gateway) is recorded as paid instead, as the
// payments reactor would, applying what it paid for: a late payment is never lost and, every step being
// keyed by the item's command id and the reactor's settlement a no-op once settled, never applied twice.
func (c Subscriptions) expirePayment(ctx context.Context, env Envelope, s subscription.State,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	action.InvoiceID = s.AwaitedInvoice()
	err := c.Invoices.VoidAbandoning(ctx, env, action.InvoiceID)
	if errors.Is(err, invoice.ErrAlreadyPaid) {
		return c.recordAwaitedPaid(ctx, env, s.ID, action)
	}
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	after, err := c.handleState(ctx, env.derived("expire"), s.ID, subscription.ExpirePayment)
	action.Outcome = "expired"
	if s.Awaiting == nil {
		action.Outcome = string(subscription.StatusIncompleteExpired)
	}
	return action, after, err
}

// recordAwaitedPaid records the awaited invoice paid (RecordInvoicePaid) and returns where that left the
// subscription.
func (c Subscriptions) recordAwaitedPaid(ctx context.Context, env Envelope, id int64,
	action BillingAction) (BillingAction, subscriptionAfter, error) {
	bill, err := c.Invoices.Read(ctx, action.InvoiceID)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	return c.recordActionPaid(ctx, env, id, action, bill.Total)
}

// recordActionPaid is recordAwaitedPaid for an invoice already read: total is what it paid.
func (c Subscriptions) recordActionPaid(ctx context.Context, env Envelope, id int64, action BillingAction,
	total int64) (BillingAction, subscriptionAfter, error) {
	action.Outcome = "paid"
	paid, err := c.RecordInvoicePaid(ctx, env.derived("paid"), action.InvoiceID, total)
	if err != nil {
		return action, subscriptionAfter{}, err
	}
	s, err := c.Read(ctx, id)
	return action, subscriptionAfter{Result: paid.Result, state: s}, err
}
