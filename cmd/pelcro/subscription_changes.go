package main

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/commands"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
)

// subscriptionChangeReadModels are the read models renew, change, gift renew and redeem wait for before
// answering the Customer: its invoices, and (once registered in knownProjections) its subscriptions.
var subscriptionChangeReadModels = []string{invoiceprojection.Name}

// subscriptionCommands are the subscription commands, billing through invoices and wallets and pricing
// with catalog.
func subscriptionCommands(deps *dependencies, catalog commands.CommerceCatalog, gateways commands.Gateways,
	wallets commands.Wallets, invoices commands.Invoices) commands.Subscriptions {
	return commands.Subscriptions{Store: deps.EventStore, Invoices: invoices, Wallets: wallets, Gateways: gateways,
		IDs:     commands.NewIDAllocator(deps.EventStore, commands.IDKindSubscription, commands.IDAllocatorConfig{}),
		Pricer:  commands.Pricer{Catalog: catalog, Store: deps.EventStore},
		Catalog: catalog, Names: deps.Names}
}

// noCommerceCatalog sells nothing: every plan and coupon is unknown, no site charges taxes and every account
// has the default policy. It stands in for the catalog's commerce read models until they are wired here;
// with it the subscription endpoints answer "Invalid plan provided".
type noCommerceCatalog struct{}

func (noCommerceCatalog) Plan(context.Context, int64, int64) (commands.SalePlan, error) {
	return commands.SalePlan{}, commands.ErrPlanNotFound
}

func (noCommerceCatalog) Coupon(context.Context, int64, string) (commands.SaleCoupon, error) {
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (noCommerceCatalog) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (noCommerceCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{}, nil
}
