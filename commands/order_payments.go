package commands

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
)

// SettleInvoicePaid completes the e-commerce order a paid invoice bills: its units sold, the order paid. It
// is the order payments reactor's step for an invoice paid outside the placement, a 3-D Secure intent the
// customer completed (`pelcro payments confirm`, the gateway's webhook), so the order is paid at once
// instead of when the expiry reaches its deadline. An invoice of no order (a subscription's, or an order's
// opened before invoices named their order, which the expiry completes), an order no longer pending, and a
// retry are no-ops: the placement, Expire and this may all complete the same order.
func (c Orders) SettleInvoicePaid(ctx context.Context, env Envelope, invoiceID int64) (OrderResult, error) {
	bill, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil || bill.OrderID == 0 {
		return OrderResult{}, err
	}
	o, err := c.Read(ctx, bill.OrderID)
	if err != nil || o.Status != order.StatusPending {
		return OrderResult{Order: o}, err
	}
	result, err := c.complete(ctx, env, o)
	if errors.Is(err, order.ErrCanceled) {
		return OrderResult{Order: o}, nil // canceled meanwhile: it holds nothing left to sell
	}
	return result, err
}
