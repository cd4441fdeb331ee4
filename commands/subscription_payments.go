package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// RecordInvoicePaid records on its subscription that an invoice of it was paid (the reactor to invoice.paid:
// a first invoice whose 3-D Secure was completed, a dunned invoice the customer paid with POST
// /invoices/{id}/pay), so the subscription becomes active. An invoice the subscription does not wait for is
// a no-op, and so is a subscription that was never created (a creation that stopped after paying); the
// caller derives env's command id from the event it reacts to, so a redelivery writes nothing twice.
func (c Subscriptions) RecordInvoicePaid(ctx context.Context, env Envelope, invoiceID, amount int64) (SubscriptionResult, error) {
	paid, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil || paid.SubscriptionID == 0 {
		return SubscriptionResult{}, err
	}
	result, err := c.handle(ctx, env, paid.SubscriptionID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RecordPayment(s, invoiceID, amount, now)
	})
	if errors.Is(err, subscription.ErrNotFound) {
		return SubscriptionResult{SubscriptionID: paid.SubscriptionID}, nil
	}
	return result, err
}
