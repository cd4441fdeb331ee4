package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/projections"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// confirmActor is who confirmations run by the CLI are recorded as (aggregates.Metadata.Actor).
const confirmActor = "operator:cli"

// paymentGateways are the gateways this installation serves by payment_gateway name: `stripe` is the one
// paymentGateway picks (docs/payments.md).
func paymentGateways(cfg config.Config, deps *dependencies, log *slog.Logger) commands.Gateways {
	return commands.Gateways{commands.DefaultGateway: paymentGateway(cfg, deps.ReadModels.DB, log)}
}

// paymentCommands are the wallet and invoice commands and the intent confirmation entry point, its owners
// registered by kind.
func paymentCommands(deps *dependencies, gateways commands.Gateways) (commands.Wallets, commands.Intents, commands.Invoices) {
	intents := commands.Intents{Store: deps.EventStore, Gateways: gateways}
	wallets := commands.Wallets{Store: deps.EventStore, Gateways: gateways, Intents: intents,
		MethodIDs: commands.NewIDAllocator(deps.EventStore, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{})}
	invoices := invoiceCommands(deps, gateways, intents)
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.SetupIntent: wallets.ConfirmSetup,
		payments.PaymentIntent: invoices.CompleteIntent}
	wallets.Intents, invoices.Intents = intents, intents
	return wallets, intents, invoices
}

// confirmationReadModels are the read models a completed intent changes, which the 3-D Secure return page
// waits for before it sends the customer back to the site.
var confirmationReadModels = []string{walletprojection.Name, invoiceprojection.Name}

// withPayments fills in what the payment endpoints need: the wallet and invoice commands, the payment
// methods read model and the waits of both read models, the confirmation entry point and the Stripe
// webhook's secret. Sales read plans, sites and tax rates through catalog, the process's catalog cache.
func withPayments(into *transport.Dependencies, cfg config.Config, deps *dependencies, runner *projections.Runner,
	catalog *queries.CachedCatalog, log *slog.Logger) {
	gateways := paymentGateways(cfg, deps, log)
	wallets, intents, invoices := paymentCommands(deps, gateways)
	into.StripeWebhookSecret = cfg.StripeWebhookSecret
	into.WalletCommands, into.Intents = wallets, intents
	into.PaymentMethods = queries.PaymentMethods{DB: deps.ReadModels}
	into.WaitForWallet = readModelWait(runner, walletprojection.Name)
	into.WaitForConfirmation = readModelWait(runner, confirmationReadModels...)
	into.WaitForInvoices = readModelWait(runner, invoiceprojection.Name)
	subscriptions := subscriptionCommands(deps, wallets, invoices, gateways, deps.cachedCommerceCatalog(catalog))
	withSubscriptions(into, subscriptions, runner)
	into.InvoiceCommands = commands.InvoicePayments{Subscriptions: subscriptions}
	into.OrderCommands = orderCommands(deps, invoices)
}

func newPaymentsCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "payments", Short: "Operate on payments"}
	root.AddCommand(&cobra.Command{
		Use:   "confirm INTENT_ID",
		Short: "Complete a 3-D Secure intent (the sandbox's stand-in for the customer authenticating)",
		Long: `Complete the 3-D Secure setup or payment intent with this id, as if the customer had authenticated
it at their bank: with the sandbox gateway the intent succeeds, then its owner completes it (a saved card
becomes chargeable, an invoice is paid). With Stripe, the intent must have succeeded at Stripe already (its
webhook normally does this); the command then only completes what the webhook did not. Safe to run again.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			confirmed, err := confirmIntent(cmd.Context(), *cfg, args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s %s confirmed for customer %d\n", confirmed.Kind, args[0], confirmed.CustomerID)
			return err
		},
	})
	return root
}

// confirmIntent has the sandbox complete the intent (a real gateway learns it from the bank), then hands it
// to the confirmation entry point. Its command id derives from the intent, so a repeat writes nothing twice.
func confirmIntent(ctx context.Context, cfg config.Config, id string) (commands.ConfirmedIntent, error) {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return commands.ConfirmedIntent{}, err
	}
	defer deps.Close()
	gateways := paymentGateways(cfg, deps, slog.New(slog.DiscardHandler))
	_, intents, _ := paymentCommands(deps, gateways)
	registered, err := intents.Registration(ctx, id)
	if errors.Is(err, payments.ErrUnknownIntent) {
		return commands.ConfirmedIntent{}, fmt.Errorf("no intent %q is waiting for confirmation", id)
	}
	if err != nil {
		return commands.ConfirmedIntent{}, err
	}
	gateway, err := gateways.Get(registered.Gateway)
	if err != nil {
		return commands.ConfirmedIntent{}, err
	}
	if sb, ok := gateway.(*sandbox.Gateway); ok {
		if _, err := sb.Confirm(ctx, id); err != nil {
			return commands.ConfirmedIntent{}, fmt.Errorf("sandbox: %w", err)
		}
	}
	return intents.Confirm(ctx, commands.Envelope{CommandID: "intent-confirm:" + id, Actor: confirmActor}, id)
}
