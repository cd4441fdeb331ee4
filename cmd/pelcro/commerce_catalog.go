package main

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// commerceCatalog is the commands' CommerceCatalog over the catalog read models (queries), which must not
// import commands: this file is the one place that maps one onto the other.
type commerceCatalog struct {
	reads *queries.Catalog
	// sales reads what every sale reads (the plan, its site, the tax rates): reads itself, or its cache.
	sales saleReads
}

// saleReads are the catalog reads every sale makes: *queries.Catalog, or *queries.CachedCatalog.
type saleReads interface {
	Plan(ctx context.Context, siteID, planID int64) (queries.Plan, error)
	Site(ctx context.Context, id int64) (queries.Site, error)
	TaxRates(ctx context.Context, siteID int64, country, state string) (queries.TaxSettings, error)
}

// commerceCatalog returns the catalog the commerce commands (subscriptions, the price preview, the billing
// clock) read plans, coupons, taxes and account policies through.
func (d *dependencies) commerceCatalog() commerceCatalog {
	reads := queries.NewCatalog(d.ReadModels)
	return commerceCatalog{reads: reads, sales: reads}
}

// cachedCommerceCatalog is commerceCatalog with the plan, site and tax rates of a sale answered from sales,
// the process's catalog cache (`pelcro serve` shares the one its HTTP reads use): three round trips fewer
// per POST /subscription. The CommerceCatalog contract allows an answer a moment late; the cache drops its
// answers as soon as this process applies a catalog change.
//
// Warning: only for a process whose runner runs the catalog projections (`pelcro serve`), with sales on
// that runner's catalog version; elsewhere the version never moves and a changed price would be sold for up
// to the cache's age limit.
func (d *dependencies) cachedCommerceCatalog(sales *queries.CachedCatalog) commands.CommerceCatalog {
	return commerceCatalog{reads: queries.NewCatalog(d.ReadModels), sales: sales}
}

// pricePreviews prices plans for POST /order through the commerce catalog and the customers' streams, with
// the segment rule subscriptions apply.
func (d *dependencies) pricePreviews() commands.PricePreviews {
	return commands.PricePreviews{Pricer: commands.Pricer{Catalog: d.commerceCatalog(), Store: d.EventStore},
		Store: d.EventStore, Rules: commands.SubscriptionRules{Segments: segmentRule(d.segments())}}
}

// Plan maps a plan and its product: on sale when both are active; sold where both its product's and its
// own countries allow (the intersection when both list countries, the list that exists otherwise).
func (c commerceCatalog) Plan(ctx context.Context, siteID, planID int64) (commands.SalePlan, error) {
	plan, err := c.sales.Plan(ctx, siteID, planID)
	if errors.Is(err, queries.ErrNotFound) {
		return commands.SalePlan{}, commands.ErrPlanNotFound
	}
	if err != nil {
		return commands.SalePlan{}, err
	}
	site, err := c.sales.Site(ctx, siteID)
	if err != nil {
		return commands.SalePlan{}, err
	}
	return commands.SalePlan{
		Terms: subscription.Terms{PlanID: plan.ID, ProductID: plan.ProductID, Amount: plan.Amount,
			Currency: plan.Currency, Interval: plan.Interval, IntervalCount: plan.IntervalCount,
			AutoRenew: plan.AutoRenew, Membership: plan.Type == catalog.PlanTypeMembership,
			MemberSeatCapacity: plan.MemberSeatCapacity},
		SiteID: siteID, AccountID: site.AccountID, Active: plan.Active && plan.Product.Active,
		AddressRequired: plan.Product.AddressRequired,
		Countries:       slices.Clone(saleCountries(plan.Product.Countries, plan.Countries)), // a cached plan's are shared
		SendInvoice:     plan.SendInvoiceEnabled, IsGift: plan.IsGift, SegmentIDs: slices.Clone(plan.SegmentIDs),
	}, nil
}

// saleCountries are the countries a plan is sold in: both lists' common countries, or the one list given
// (none: everywhere).
func saleCountries(product, plan []string) []string {
	switch {
	case len(plan) == 0:
		return product
	case len(product) == 0:
		return plan
	}
	common := []string{}
	for _, country := range plan {
		if slices.Contains(product, country) {
			common = append(common, country)
		}
	}
	return common
}

// Coupon maps a coupon; its percentage becomes an integer pricing.Rate here, once.
func (c commerceCatalog) Coupon(ctx context.Context, siteID int64, code string) (commands.SaleCoupon, error) {
	coupon, err := c.reads.CouponByCode(ctx, siteID, code)
	if errors.Is(err, queries.ErrNotFound) {
		return commands.SaleCoupon{}, commands.ErrCouponNotFound
	}
	if err != nil {
		return commands.SaleCoupon{}, err
	}
	sale := commands.SaleCoupon{
		Coupon:  subscription.Coupon{ID: coupon.ID, Code: coupon.Code, Duration: coupon.Duration},
		PlanIDs: coupon.PlanIDs, SegmentIDs: coupon.SegmentIDs,
	}
	if coupon.PercentOff != nil {
		sale.Coupon.PercentOff = pricing.RateFromPercent(*coupon.PercentOff)
	}
	if coupon.AmountOff != nil {
		sale.Coupon.AmountOff, sale.Currency = *coupon.AmountOff, *coupon.Currency
	}
	if coupon.DurationInMonths != nil {
		sale.Coupon.DurationInMonths = *coupon.DurationInMonths
	}
	return sale, nil
}

// Taxes maps the site's settings and the address's rates. A rate is inclusive when the rate says so or
// the site's tax_inclusive does (its prices hold every tax).
func (c commerceCatalog) Taxes(ctx context.Context, siteID int64, country, state string) (commands.SiteTaxes, error) {
	settings, err := c.sales.TaxRates(ctx, siteID, country, state)
	if err != nil {
		return commands.SiteTaxes{}, err
	}
	taxes := commands.SiteTaxes{Enabled: settings.Enabled}
	for _, r := range settings.Rates {
		taxes.Rates = append(taxes.Rates, pricing.TaxRate{Name: r.Name,
			Jurisdiction: pricing.Jurisdiction{Country: r.Country, State: r.State}, Rate: pricing.RateFromPercent(r.Percentage),
			Inclusive: r.Inclusive || settings.Inclusive})
	}
	return taxes, nil
}

// Account maps the account's policy; an account the catalog does not define, and an empty dunning
// setting or days_until_due, have the defaults.
func (c commerceCatalog) Account(ctx context.Context, accountID int64) (commands.AccountPolicy, error) {
	account, err := c.reads.Account(ctx, accountID)
	if err != nil && !errors.Is(err, queries.ErrNotFound) {
		return commands.AccountPolicy{}, err
	}
	policy := commands.AccountPolicy{ImmediateCancellation: account.ImmediateCancellationEnabled,
		Dunning: subscription.Dunning{Retries: slices.Clone(subscription.DefaultDunning.Retries),
			KeepUnpaid: account.DunningFinalStatus == catalog.DunningFinalUnpaid},
		DaysUntilDue: int(account.DaysUntilDue)}
	if len(account.DunningRetryDays) > 0 {
		policy.Dunning.Retries = make([]time.Duration, len(account.DunningRetryDays))
		for i, days := range account.DunningRetryDays {
			policy.Dunning.Retries[i] = time.Duration(days) * 24 * time.Hour
		}
	}
	return policy, nil
}
