package main

import (
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// subscriptionReadModels are the read models a subscription command changes (the subscription, its
// invoice, the card a token was saved as), which its answer waits for.
var subscriptionReadModels = []string{subscriptionprojection.Name, invoiceprojection.Name, walletprojection.Name}

// subscriptionCommands are the subscription commands selling from the catalog's read models
// (commerceCatalog) and paying through the payment commands.
func subscriptionCommands(deps *dependencies, wallets commands.Wallets, invoices commands.Invoices,
	gateways commands.Gateways) commands.Subscriptions {
	catalog := deps.commerceCatalog()
	return commands.Subscriptions{Store: deps.EventStore, Invoices: invoices, Wallets: wallets, Gateways: gateways,
		IDs:     commands.NewIDAllocator(deps.EventStore, commands.IDKindSubscription, commands.IDAllocatorConfig{}),
		Pricer:  commands.Pricer{Catalog: catalog, Store: deps.EventStore},
		Catalog: catalog, Names: deps.Names}
}

// withSubscriptions fills in what the subscription endpoints need.
func withSubscriptions(into *transport.Dependencies, subscriptions commands.Subscriptions, runner *projections.Runner) {
	into.SubscriptionCommands = subscriptions
	into.WaitForSubscriptions = readModelWait(runner, subscriptionReadModels...)
}
