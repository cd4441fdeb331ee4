package main

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// subscriptionReadModels are the read models a subscription command changes (the subscription, its
// invoice, the card a token was saved as), which its answer waits for.
var subscriptionReadModels = []string{subscriptionprojection.Name, invoiceprojection.Name, walletprojection.Name}

// subscriptionCommands are the subscription commands selling from the catalog's read models and paying
// through the payment commands.
func subscriptionCommands(deps *dependencies, wallets commands.Wallets, invoices commands.Invoices,
	gateways commands.Gateways) commands.Subscriptions {
	catalog := planCatalog{queries.NewCatalog(deps.ReadModels)}
	return commands.Subscriptions{Store: deps.EventStore, Invoices: invoices, Wallets: wallets, Gateways: gateways,
		IDs:     commands.NewIDAllocator(deps.EventStore, commands.IDKindSubscription, commands.IDAllocatorConfig{}),
		Pricer:  commands.Pricer{Catalog: catalog, Store: deps.EventStore},
		Catalog: catalog, Names: deps.Names}
}

// withSubscriptions fills in what the subscription endpoints need (create, cancel, reactivate; renew,
// change and the gifts).
func withSubscriptions(into *transport.Dependencies, subscriptions commands.Subscriptions, runner *projections.Runner) {
	into.SubscriptionCommands, into.SubscriptionChanges = subscriptions, subscriptions
	into.WaitForSubscriptions = readModelWait(runner, subscriptionReadModels...)
}

// planCatalog sells the catalog's plans with no coupons, taxes off and every account on the default policy.
// Warning: interim, until the catalog's commerce read models (coupons, tax rates, account policies) serve
// commands.CommerceCatalog; replace it then, or coupons and taxes are silently ignored.
type planCatalog struct {
	catalog *queries.Catalog
}

func (c planCatalog) Plan(ctx context.Context, siteID, planID int64) (commands.SalePlan, error) {
	p, err := c.catalog.Plan(ctx, siteID, planID)
	if errors.Is(err, queries.ErrNotFound) {
		return commands.SalePlan{}, commands.ErrPlanNotFound
	}
	if err != nil {
		return commands.SalePlan{}, err
	}
	return commands.SalePlan{SiteID: siteID, Active: p.Active && p.Product.Active, AddressRequired: p.AddressRequired,
		Countries: p.Countries, IsGift: p.IsGift,
		Terms: subscription.Terms{PlanID: p.ID, ProductID: p.ProductID, Amount: p.Amount, Currency: p.Currency,
			Interval: p.Interval, IntervalCount: p.IntervalCount, AutoRenew: p.AutoRenew,
			Membership: p.Type == "membership"}}, nil
}

func (planCatalog) Coupon(context.Context, int64, string) (commands.SaleCoupon, error) {
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (planCatalog) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (planCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{Dunning: subscription.DefaultDunning}, nil
}
