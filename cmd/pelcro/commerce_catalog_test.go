package main

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// commerceFixture is the catalog fixture with what a sale reads besides: a plan sold by invoice in fewer
// countries than its product, an amount-off coupon, tax rates of both sites (the other one's prices include
// tax), and a second account with its own dunning policy.
func commerceFixture(t *testing.T) commands.CommerceCatalog {
	c := catalogtest.Catalog()
	free := &c.Products[0].Plans[0] // countries [US], its product's [US, CA]
	free.SendInvoiceEnabled, free.IsGift = true, true
	c.Accounts = append(c.Accounts, catalog.Account{ID: 2, AccountAttributes: catalog.AccountAttributes{Name: "Strict",
		DunningRetryDays: []int64{2, 4}, DunningFinalStatus: catalog.DunningFinalUnpaid, ImmediateCancellationEnabled: true}})
	c.Sites[1].TaxInclusive = true
	c.Coupons = append(c.Coupons, catalog.Coupon{ID: 78, SiteID: catalogtest.SiteID, CouponAttributes: catalog.CouponAttributes{
		Code: "TENOFF", AmountOff: 1000, Currency: "usd", Duration: "repeating", DurationInMonths: 3}})
	rate := func(site int64, country, state, name string, percentage float64, inclusive bool) catalog.TaxRate {
		return catalog.TaxRate{TaxRateRef: catalog.TaxRateRef{SiteID: site, Country: country, State: state},
			TaxRateAttributes: catalog.TaxRateAttributes{Name: name, Percentage: percentage, Inclusive: inclusive}}
	}
	c.TaxRates = []catalog.TaxRate{rate(catalogtest.SiteID, "US", "NY", "NY sales tax", 8.875, false),
		rate(catalogtest.SiteID, "US", "", "Federal", 2, false), rate(catalogtest.SiteID, "CA", "QC", "QST", 9.975, true),
		rate(catalogtest.OtherSiteID, "CA", "", "GST", 5, false)}
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(c))
	return (&dependencies{ReadModels: env.DB}).commerceCatalog()
}

func TestCommerceCatalogMapsPlans(t *testing.T) {
	t.Parallel()
	// given the commerce fixture imported and projected
	cc := commerceFixture(t)
	yearly := func(id, amount int64) subscription.Terms {
		return subscription.Terms{PlanID: id, ProductID: catalogtest.ProductID, Amount: amount, Currency: "usd",
			Interval: "year", IntervalCount: 1}
	}
	tests := []struct {
		name         string
		site, planID int64
		want         commands.SalePlan
		wantErr      error
	}{
		{"a paid plan restricted to a segment, sold where its product is", catalogtest.SiteID, catalogtest.PaidPlanID,
			commands.SalePlan{Terms: yearly(catalogtest.PaidPlanID, 500), SiteID: catalogtest.SiteID, AccountID: 1,
				Active: true, AddressRequired: true, Countries: []string{"US", "CA"},
				SegmentIDs: []int64{catalogtest.StudentsSegmentID}}, nil},
		{"a membership gift plan sold by invoice in fewer countries than its product", catalogtest.SiteID, catalogtest.FreePlanID,
			commands.SalePlan{Terms: func() subscription.Terms {
				t := yearly(catalogtest.FreePlanID, 0)
				t.Membership, t.MemberSeatCapacity = true, 250
				return t
			}(), SiteID: catalogtest.SiteID, AccountID: 1, Active: true, AddressRequired: true,
				Countries: []string{"US"}, SendInvoice: true, IsGift: true, SegmentIDs: []int64{}}, nil},
		{"a retired plan is not on sale", catalogtest.SiteID, catalogtest.RetiredPlanID,
			commands.SalePlan{Terms: yearly(catalogtest.RetiredPlanID, 0), SiteID: catalogtest.SiteID, AccountID: 1,
				AddressRequired: true, Countries: []string{"US", "CA"}, SegmentIDs: []int64{}}, nil},
		{"another site's plan", catalogtest.SiteID, catalogtest.OtherSitePlanID, commands.SalePlan{}, commands.ErrPlanNotFound},
		{"an unknown plan", catalogtest.SiteID, 999, commands.SalePlan{}, commands.ErrPlanNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the plan is read for a sale
			got, err := cc.Plan(t.Context(), tt.site, tt.planID)
			// then it carries the catalog's terms and rules
			if !errors.Is(err, tt.wantErr) || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Plan = %+v, %v\nwant   %+v, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCommerceCatalogMapsCoupons(t *testing.T) {
	t.Parallel()
	// given the commerce fixture imported and projected
	cc := commerceFixture(t)
	tests := []struct {
		name, code string
		site       int64
		want       commands.SaleCoupon
		wantErr    error
	}{
		{"a percentage once, for one plan and one segment", "STUDENT20", catalogtest.SiteID, commands.SaleCoupon{
			Coupon:  subscription.Coupon{ID: catalogtest.StudentCouponID, Code: "STUDENT20", PercentOff: 20_000, Duration: "once"},
			PlanIDs: []int64{catalogtest.PaidPlanID}, SegmentIDs: []int64{catalogtest.StudentsSegmentID}}, nil},
		{"an amount repeating for three months", "TENOFF", catalogtest.SiteID, commands.SaleCoupon{
			Coupon: subscription.Coupon{ID: 78, Code: "TENOFF", AmountOff: 1000, Duration: "repeating",
				DurationInMonths: 3}, Currency: "usd", PlanIDs: []int64{}, SegmentIDs: []int64{}}, nil},
		{"codes are case-sensitive", "student20", catalogtest.SiteID, commands.SaleCoupon{}, commands.ErrCouponNotFound},
		{"another site's code", "STUDENT20", catalogtest.OtherSiteID, commands.SaleCoupon{}, commands.ErrCouponNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the coupon is read by its code
			got, err := cc.Coupon(t.Context(), tt.site, tt.code)
			// then it carries its discount as an integer rate, or is not found
			if !errors.Is(err, tt.wantErr) || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Coupon = %+v, %v\nwant     %+v, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCommerceCatalogMapsTaxesAndAccounts(t *testing.T) {
	t.Parallel()
	// given the commerce fixture imported and projected
	cc := commerceFixture(t)
	federal := pricing.TaxRate{Name: "Federal", Jurisdiction: pricing.Jurisdiction{Country: "US"}, Rate: 2_000}
	taxes := []struct {
		name           string
		site           int64
		country, state string
		want           commands.SiteTaxes
	}{
		{"the settings alone", catalogtest.SiteID, "", "", commands.SiteTaxes{Enabled: true}},
		{"the country's rate, then the state's", catalogtest.SiteID, "US", "NY", commands.SiteTaxes{Enabled: true,
			Rates: []pricing.TaxRate{federal, {Name: "NY sales tax", Jurisdiction: pricing.Jurisdiction{Country: "US", State: "NY"}, Rate: 8_875}}}},
		{"a state without a rate of its own", catalogtest.SiteID, "US", "CA", commands.SiteTaxes{Enabled: true,
			Rates: []pricing.TaxRate{federal}}},
		{"an inclusive state rate", catalogtest.SiteID, "CA", "QC", commands.SiteTaxes{Enabled: true,
			Rates: []pricing.TaxRate{{Name: "QST", Jurisdiction: pricing.Jurisdiction{Country: "CA", State: "QC"}, Rate: 9_975, Inclusive: true}}}},
		{"a site whose prices include tax, taxes off", catalogtest.OtherSiteID, "CA", "ON", commands.SiteTaxes{
			Rates: []pricing.TaxRate{{Name: "GST", Jurisdiction: pricing.Jurisdiction{Country: "CA"}, Rate: 5_000, Inclusive: true}}}},
		{"a site the catalog does not define", 999, "US", "NY", commands.SiteTaxes{}},
	}
	for _, tt := range taxes {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the taxes of an address are read; then they are the site's settings and rates, each with its jurisdiction
			if got, err := cc.Taxes(t.Context(), tt.site, tt.country, tt.state); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Taxes = %+v, %v\nwant    %+v", got, err, tt.want)
			}
		})
	}
	days := func(n ...int) []time.Duration {
		var d []time.Duration
		for _, n := range n {
			d = append(d, time.Duration(n)*24*time.Hour)
		}
		return d
	}
	accounts := []struct {
		name    string
		account int64
		want    commands.AccountPolicy
	}{
		{"an account without a policy has the defaults", 1, commands.AccountPolicy{Dunning: subscription.DefaultDunning}},
		{"an account's own policy", 2, commands.AccountPolicy{ImmediateCancellation: true,
			Dunning: subscription.Dunning{Retries: days(2, 4), KeepUnpaid: true}}},
		{"an account the catalog does not define has the defaults", 999, commands.AccountPolicy{Dunning: subscription.DefaultDunning}},
	}
	for _, tt := range accounts {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the account's policy is read; then it is the catalog's, in durations
			if got, err := cc.Account(t.Context(), tt.account); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Account = %+v, %v\nwant      %+v", got, err, tt.want)
			}
		})
	}
}

func TestTheCachedCommerceCatalogSellsWhatTheCatalogProjectionsLastApplied(t *testing.T) {
	t.Parallel()
	// given the catalog imported and projected, one cached commerce catalog on the runner's catalog version
	// and one whose version never moves
	c := catalogtest.Catalog()
	env := catalogtest.New(t)
	runner := env.Start()
	env.WaitFor(runner, env.Import(c))
	deps := &dependencies{ReadModels: env.DB}
	reads := queries.NewCatalog(env.DB)
	live := deps.cachedCommerceCatalog(queries.NewCachedCatalog(reads, func() uint64 {
		return runner.DataVersion(catalogprojections.Names()...)
	}, func([]int64) (uint64, uint64) { return 0, 0 }))
	frozen := deps.cachedCommerceCatalog(queries.NewCachedCatalog(reads, func() uint64 { return 0 }, func([]int64) (uint64, uint64) { return 0, 0 }))
	price := func(cc commands.CommerceCatalog) int64 {
		plan, err := cc.Plan(t.Context(), catalogtest.SiteID, catalogtest.PaidPlanID)
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		return plan.Terms.Amount
	}
	if live, frozen := price(live), price(frozen); live != 500 || frozen != 500 {
		t.Fatalf("prices before the change: %d and %d, want 500", live, frozen)
	}

	// when the plan's price changes in the catalog and the change is projected
	c.Products[0].Plans[1].Amount = 700
	env.WaitFor(runner, env.Import(c))

	// then a sale on the runner's version is at the new price at once, and the other still answers the
	// price it read (from memory: no round trip)
	if live, frozen := price(live), price(frozen); live != 700 || frozen != 500 {
		t.Fatalf("prices after the change: %d (runner's version) and %d (frozen), want 700 and 500", live, frozen)
	}
}
