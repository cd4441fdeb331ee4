package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// subscriptionPaymentsName is the checkpoint of the reactor telling subscriptions their invoices were paid.
// Warning: changing it replays every invoice.paid of history (harmless, each is recorded once, but slow).
const subscriptionPaymentsName = "subscription_payments.v1"

// subscriptionPayments is the reactor to invoice.paid: an invoice of a subscription that gets paid (a first
// invoice whose 3-D Secure the customer completed, a dunned invoice paid with POST /invoices/{id}/pay) is
// recorded on the subscription, which becomes active; a renewal, change or gift term it paid that the
// subscription refuses by then is refunded through gateways.
func subscriptionPayments(store eventstore.Store, gateways commands.Gateways) projections.Projection {
	subscriptions := commands.Subscriptions{Store: store, Gateways: gateways,
		Invoices: commands.Invoices{Store: store, Gateways: gateways}}
	return invoicePaidReactor(subscriptionPaymentsName, "subscription", "invoice-paid:", func(ctx context.Context,
		env commands.Envelope, paid invoice.Paid) error {
		_, err := subscriptions.RecordInvoicePaid(ctx, env, paid.InvoiceID, paid.Amount)
		return err
	})
}

// invoicePaidReactor is a reactor to invoice.paid named name, telling the invoices' owners (of kind, as
// its actor and errors name them) they were paid with record. It runs like a projection, in order and
// checkpointed, but writes to the log instead of a table: the command id is commandPrefix and the event
// id, so an event delivered again records nothing twice. NoRebuild: it keeps no table to rebuild.
//
// Warning: commandPrefix is part of stored command ids; changing it records a replayed payment again.
func invoicePaidReactor(name, kind, commandPrefix string,
	record func(context.Context, commands.Envelope, invoice.Paid) error) projections.Projection {
	return projections.Projection{
		Name:      name,
		NoRebuild: "it records payments on " + kind + "s instead of keeping a table; nothing to rebuild",
		Handlers: []projections.Handler{projections.On(func(ctx context.Context, _ *sqlx.Tx,
			e projections.Event[invoice.Paid]) error {
			env := reactorEnvelope(e.Envelope, commandPrefix+e.ID.String(), "system:"+kind+"-payments")
			if err := record(ctx, env, e.Data); err != nil {
				return fmt.Errorf("record the payment of invoice %d on its %s: %w", e.Data.InvoiceID, kind, err)
			}
			return nil
		})},
	}
}

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

// reactorEnvelope is the envelope of a command a reactor issues for the event e: caused by it and in its
// correlation. Warning: commandID must derive from e's id, so that a redelivered event issues the very same
// command, which then records nothing twice.
func reactorEnvelope(e projections.Envelope, commandID, actor string) commands.Envelope {
	return commands.Envelope{CommandID: commandID, CausationID: e.ID.String(), CorrelationID: e.Metadata.CorrelationID,
		Actor: actor}
}
