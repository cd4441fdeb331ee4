package main

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// billingCatalog is the CommerceCatalog the billing clock reads until the catalog's commerce read models
// are wired here: the billing clock asks it only for tax settings (none: renewals are billed without tax)
// and account policies (the defaults: dunning at +3, +5 and +7 days, then canceled). Warning: a stand-in; the
// commerce catalog over the read models replaces it, and plans and coupons, which the clock never reads,
// are unknown to it.
type billingCatalog struct{}

func (billingCatalog) Plan(context.Context, int64, int64) (commands.SalePlan, error) {
	return commands.SalePlan{}, commands.ErrPlanNotFound
}

func (billingCatalog) Coupon(context.Context, int64, string) (commands.SaleCoupon, error) {
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (billingCatalog) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (billingCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{}, nil
}
