package main

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// orderPaymentsName is the checkpoint of the reactor telling e-commerce orders their invoices were paid.
// Warning: changing it replays every invoice.paid of history (harmless, each order is completed once, but
// slow).
const orderPaymentsName = "order_payments.v1"

// orderPayments is the reactor to invoice.paid for orders: an order's invoice paid outside its placement
// (the customer completed 3-D Secure: `pelcro payments confirm`, the gateway's webhook) completes the order
// at once, its units sold, stamped at the payment's time, instead of when the expiry reaches its deadline.
func orderPayments(store eventstore.Store) projections.Projection {
	return invoicePaidReactor(orderPaymentsName, "order", "invoice-paid-order:", func(ctx context.Context, env commands.Envelope,
		paid invoice.Paid) error {
		orders := commands.Orders{Store: store, Invoices: commands.Invoices{Store: store},
			Now: func() time.Time { return paid.PaidAt }}
		_, err := orders.SettleInvoicePaid(ctx, env, paid.InvoiceID)
		return err
	})
}
