package main

import (
	"cmp"
	"context"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// subscriptionCommands are the subscription commands selling from catalog (commerceCatalog, or in `pelcro
// serve` cachedCommerceCatalog) and paying through the payment commands.
func subscriptionCommands(deps *dependencies, wallets commands.Wallets, invoices commands.Invoices,
	gateways commands.Gateways, catalog commands.CommerceCatalog) commands.Subscriptions {
	return commands.Subscriptions{Store: deps.EventStore, Invoices: invoices, Wallets: wallets, Gateways: gateways,
		IDs:     commands.NewIDAllocator(deps.EventStore, commands.IDKindSubscription, commands.IDAllocatorConfig{}),
		Pricer:  commands.Pricer{Catalog: catalog, Store: deps.EventStore},
		Catalog: catalog, Names: deps.Names,
		Rules: commands.SubscriptionRules{Segments: segmentRule(deps.segments())}}
}

// memberIPs answers GET /members/ip/authorization from the read models, cached until the memberships'
// ranges, the subscriptions or the catalog's plans (embedded in each answer) reach another event.
func memberIPs(deps *dependencies, runner *projections.Runner) *queries.CachedMemberIPs {
	sources := append(catalogprojections.Names(), subscriptionprojection.Name, memberip.Name)
	return queries.NewCachedMemberIPs(queries.MemberIPs{DB: deps.ReadModels},
		func() uint64 { return runner.DataVersion(sources...) })
}

// segments are the customer segments over the read models, with the plans customers hold taken from their
// subscriptions.
func (d *dependencies) segments() queries.Segments {
	return queries.Segments{DB: d.ReadModels, HeldPlans: queries.HeldPlans(d.ReadModels)}
}

// segmentRule is rule 12 for subscription create, renew, change, gift renew and the price preview: a plan or coupon restricted to segments the
// customer is not in is refused as if the site did not sell it (the customer is not told it exists).
func segmentRule(segments queries.Segments) func(context.Context, commands.Target, commands.SalePlan, *commands.SaleCoupon) error {
	return func(ctx context.Context, who commands.Target, plan commands.SalePlan, coupon *commands.SaleCoupon) error {
		if len(plan.SegmentIDs) > 0 {
			allowed, err := segments.PlanAllowed(ctx, who.SiteID, who.CustomerID, plan.Terms.PlanID)
			if err != nil || !allowed {
				return cmp.Or(err, commands.ErrPlanNotFound)
			}
		}
		if coupon != nil && len(coupon.SegmentIDs) > 0 {
			allowed, err := segments.CouponAllowed(ctx, who.SiteID, who.CustomerID, coupon.Coupon.Code)
			if err != nil || !allowed {
				return cmp.Or(err, commands.ErrCouponNotFound)
			}
		}
		return nil
	}
}

// withSubscriptions fills in what the subscription endpoints need (create, cancel, reactivate; renew,
// change and the gifts). WaitForSubscriptions waits for subscriptions.v1 alone: the answers add the
// invoices and wallet waits (withPayments) unless the command wrote only the subscription (a free plan
// without a card). Such an answer may show invoices and cards the command did not write as they stood
// before its log position (an invoice a webhook just paid may read open): acceptable, as only the
// command's own writes are promised to its answer and the next read catches up (see transport's
// subscriptionWait).
func withSubscriptions(into *transport.Dependencies, subscriptions commands.Subscriptions, runner *projections.Runner) {
	into.SubscriptionCommands, into.SubscriptionChanges = subscriptions, subscriptions
	into.WaitForSubscriptions = readModelWait(runner, subscriptionprojection.Name)
}
