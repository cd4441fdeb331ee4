package main

import (
	"context"
	"fmt"

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
// recorded on the subscription, which becomes active. It runs like a projection, in order and checkpointed,
// but writes to the log instead of a table: the command id derives from the event id, so an event delivered
// again records nothing twice. NoRebuild: it keeps no table to rebuild.
func subscriptionPayments(store eventstore.Store) projections.Projection {
	subscriptions := commands.Subscriptions{Store: store, Invoices: commands.Invoices{Store: store}}
	return projections.Projection{
		Name:      subscriptionPaymentsName,
		NoRebuild: "it records payments on subscriptions instead of keeping a table; nothing to rebuild",
		Handlers: []projections.Handler{projections.On(func(ctx context.Context, _ *sqlx.Tx,
			e projections.Event[invoice.Paid]) error {
			env := commands.Envelope{CommandID: "invoice-paid:" + e.ID.String(), CausationID: e.ID.String(),
				CorrelationID: e.Metadata.CorrelationID, Actor: "system:subscription-payments"}
			if _, err := subscriptions.RecordInvoicePaid(ctx, env, e.Data.InvoiceID, e.Data.Amount); err != nil {
				return fmt.Errorf("record the payment of invoice %d on its subscription: %w", e.Data.InvoiceID, err)
			}
			return nil
		})},
	}
}
