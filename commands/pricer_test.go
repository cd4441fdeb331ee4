package commands_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// fakeCatalog is a CommerceCatalog of fixed plans, coupons and tax rates (site 1, account 1).
type fakeCatalog struct {
	plans        map[int64]commands.SalePlan
	coupons      map[string]commands.SaleCoupon
	taxesEnabled bool
	rates        map[string][]pricing.TaxRate // by "country/state"
	policy       commands.AccountPolicy
}

func (c fakeCatalog) Plan(_ context.Context, siteID, planID int64) (commands.SalePlan, error) {
	if p, ok := c.plans[planID]; ok && p.SiteID == siteID {
		return p, nil
	}
	return commands.SalePlan{}, commands.ErrPlanNotFound
}

func (c fakeCatalog) Coupon(_ context.Context, _ int64, code string) (commands.SaleCoupon, error) {
	if coupon, ok := c.coupons[code]; ok {
		return coupon, nil
	}
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (c fakeCatalog) Taxes(_ context.Context, _ int64, country, state string) (commands.SiteTaxes, error) {
	taxes := commands.SiteTaxes{Enabled: c.taxesEnabled}
	if country != "" {
		taxes.Rates = slices.Concat(c.rates[country+"/"], c.rates[country+"/"+state])
	}
	return taxes, nil
}

func (c fakeCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return c.policy, nil
}

// sampleCatalog sells plan 4051 (monthly, 1000 usd), plan 4060 (shipped to Canada only), coupon WELCOME10
// (10 % off once, plan 4051 only) and charges Quebec's taxes when taxesEnabled.
func sampleCatalog(taxesEnabled bool) fakeCatalog {
	monthly := subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 1000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	shipped := monthly
	shipped.PlanID = 4060
	return fakeCatalog{
		plans: map[int64]commands.SalePlan{
			4051: {Terms: monthly, SiteID: 1, AccountID: 1, Active: true},
			4060: {Terms: shipped, SiteID: 1, AccountID: 1, Active: true, AddressRequired: true, Countries: []string{"CA"}},
		},
		coupons: map[string]commands.SaleCoupon{"WELCOME10": {Coupon: subscription.Coupon{ID: 77, Code: "WELCOME10",
			PercentOff: pricing.RateFromPercent(10), Duration: subscription.DurationOnce}, PlanIDs: []int64{4051}}},
		taxesEnabled: taxesEnabled,
		rates: map[string][]pricing.TaxRate{"CA/": {{Name: "GST", Rate: pricing.RateFromPercent(5)}},
			"CA/QC": {{Name: "QST", Rate: pricing.RateFromPercent(9.975)}}},
	}
}

func TestPricingASale(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	who := commands.Target{CustomerID: w.register(t, "ann@example.com", "ann"), AccountID: 1, SiteID: 1}
	addAddress := func(country, state string, isDefault bool) int64 {
		_, id, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who,
			Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: country, State: state, IsDefault: isDefault}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	quebec, paris := addAddress("CA", "QC", true), addAddress("FR", "", false)

	cases := []struct {
		name    string
		taxes   bool
		request commands.SaleRequest
		total   int64
		refusal error
	}{
		{"a plan times its quantity", false, commands.SaleRequest{PlanID: 4051, Quantity: 3}, 3000, nil},
		{"a coupon takes its share", false, commands.SaleRequest{PlanID: 4051, Quantity: 1, CouponCode: "WELCOME10"}, 900, nil},
		{"taxes of the default shipping address, country and state", true, commands.SaleRequest{PlanID: 4051, Quantity: 1}, 1150, nil},
		{"taxes of the address given", true, commands.SaleRequest{PlanID: 4051, Quantity: 1, AddressID: paris}, 1000, nil},
		{"a country the product ships to", false, commands.SaleRequest{PlanID: 4060, Quantity: 1, AddressID: quebec}, 1000, nil},
		{"unknown plan", false, commands.SaleRequest{PlanID: 1, Quantity: 1}, 0, commands.ErrPlanNotFound},
		{"unknown coupon", false, commands.SaleRequest{PlanID: 4051, Quantity: 1, CouponCode: "NOPE"}, 0, commands.ErrCouponNotFound},
		{"a coupon of other plans", false, commands.SaleRequest{PlanID: 4060, Quantity: 1, CouponCode: "WELCOME10", AddressID: quebec}, 0, commands.ErrCouponNotForPlan},
		{"a shipped product at the default shipping address", false, commands.SaleRequest{PlanID: 4060, Quantity: 1}, 1000, nil},
		{"a country the product is not sold in", false, commands.SaleRequest{PlanID: 4060, Quantity: 1, AddressID: paris}, 0, commands.ErrNotAvailableInArea},
		{"somebody else's address", false, commands.SaleRequest{PlanID: 4051, Quantity: 1, AddressID: quebec + 1000}, 0, commands.ErrAddressNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pricer := commands.Pricer{Catalog: sampleCatalog(c.taxes), Store: w.store}
			request := c.request
			request.Target = who
			sale, err := pricer.Price(t.Context(), request)
			if !errors.Is(err, c.refusal) {
				t.Fatalf("Price() error = %v, want %v", err, c.refusal)
			}
			if err == nil && sale.Quote.Total != c.total {
				t.Errorf("total %d, want %d (%+v)", sale.Quote.Total, c.total, sale.Quote)
			}
		})
	}
}
