package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Refund gives back at most most of the charge that paid the invoice (never more than it has left), at
// its gateway under key, and records the refund on the invoice, where the Customer's charges show it. It
// answers what was refunded: nothing for an invoice no charge paid.
//
// The key names what is refunded (e.g. a subscription's cancellation and this invoice), and a refund
// already recorded under it is answered from the invoice without calling the gateway again. A crash between
// the gateway and the record is healed by the caller's retry: the same key makes the gateway answer with
// its first refund, which is then recorded. Warning: the amount must be the same on that retry, so callers
// compute it from recorded facts only.
func (c Invoices) Refund(ctx context.Context, env Envelope, id int64, key string, most int64) (int64, error) {
	loaded, err := load(ctx, c.Store, InvoiceAggregate, invoiceStream(id), env.CommandID)
	if err != nil {
		return 0, err
	}
	paid := loaded.state // read once: the record below decides on it, unless the stream moved meanwhile
	if done, ok := paid.RefundedUnder(key); ok {
		return done, nil
	}
	amount := min(most, paid.Refundable())
	if amount <= 0 {
		return 0, nil
	}
	gateway, err := c.Gateways.Get(paid.ChargeGateway)
	if err != nil {
		return 0, err
	}
	if _, err := gateway.Refund(ctx, payments.RefundRequest{ChargeGatewayID: paid.ChargeID,
		Amount: payments.Money{Amount: amount, Currency: paid.Currency}, IdempotencyKey: key}); err != nil {
		return 0, err
	}
	_, err = c.handleState(ctx, env, id, &loaded, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		return invoice.RecordRefund(s, key, amount, now)
	})
	return amount, err
}
