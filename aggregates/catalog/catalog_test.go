package catalog_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

func TestCatalogProblems(t *testing.T) {
	t.Parallel()
	plan := func(c *catalog.Catalog) *catalog.Plan { return &c.Products[0].Plans[1] }
	tests := []struct {
		name   string
		change func(c *catalog.Catalog)
		want   catalog.Problems
	}{
		{"the example is valid", func(*catalog.Catalog) {}, nil},
		{"uppercase currency", func(c *catalog.Catalog) { plan(c).Currency = "USD" }, catalog.Problems{{
			Field: "products[0].plans[1].currency", Message: `must be a three-letter lowercase currency code such as usd, got "USD"`}}},
		{"unknown interval", func(c *catalog.Catalog) { plan(c).Interval = "fortnight" }, catalog.Problems{{
			Field: "products[0].plans[1].interval", Message: `must be one of day, week, month, year, got "fortnight"`}}},
		{"wildcard inside a domain", func(c *catalog.Catalog) { plan(c).Domains = []string{"mail.*.example.edu"} }, catalog.Problems{{
			Field: "products[0].plans[1].domains[0]", Message: `may hold a wildcard only as its first label, as in *.example.edu, got "mail.*.example.edu"`}}},
		{"single-label domain", func(c *catalog.Catalog) { plan(c).Domains = []string{"localhost"} }, catalog.Problems{{
			Field: "products[0].plans[1].domains[0]", Message: `must be a domain such as example.edu or *.example.edu, got "localhost"`}}},
		{"repeated domain", func(c *catalog.Catalog) { plan(c).Domains = []string{"example.edu", "example.edu"} }, catalog.Problems{{
			Field: "products[0].plans[1].domains[1]", Message: `repeats "example.edu"`}}},
		{"CIDR with host bits", func(c *catalog.Catalog) { plan(c).IPAddresses = []string{"198.51.100.7/24"} }, catalog.Problems{{
			Field: "products[0].plans[1].ip_addresses[0]", Message: `has bits set after the prefix length; the range is 198.51.100.0/24, got "198.51.100.7/24"`}}},
		{"not an IP", func(c *catalog.Catalog) { plan(c).IPAddresses = []string{"198.51.100"} }, catalog.Problems{{
			Field: "products[0].plans[1].ip_addresses[0]", Message: `must be an IP address or a CIDR range such as 198.51.100.0/24, got "198.51.100"`}}},
		{"seats on a plan that is not a membership", func(c *catalog.Catalog) { plan(c).Type = "" }, catalog.Problems{{
			Field: "products[0].plans[1].member_seat_capacity", Message: "is only for membership plans (type: membership)"}}},
		{"percent above 100", func(c *catalog.Catalog) { c.Coupons[0].PercentOff = 150 }, catalog.Problems{{
			Field: "coupons[0].percent_off", Message: "must be a percentage above 0 and at most 100, got 150"}}},
		{"NaN tax", func(c *catalog.Catalog) { c.TaxRates[0].Percentage = math.NaN() }, catalog.Problems{{
			Field: "tax_rates[0].percentage", Message: "must be a percentage at least 0 and at most 100, got NaN"}}},
		{"repeating without months", func(c *catalog.Catalog) { c.Coupons[0].Duration = "repeating" }, catalog.Problems{{
			Field: "coupons[0].duration_in_months", Message: "must be at least 1 when duration is repeating, got 0"}}},
		{"the longest coupon code", func(c *catalog.Catalog) { c.Coupons[0].Code = strings.Repeat("é", catalog.MaxCouponCodeLength) }, nil},
		{"a coupon code one character too long", func(c *catalog.Catalog) {
			c.Coupons[0].Code = strings.Repeat("é", catalog.MaxCouponCodeLength+1)
		}, catalog.Problems{{Field: "coupons[0].code", Message: "must be at most 255 characters, got 256"}}},
		{"both kinds of discount", func(c *catalog.Catalog) { c.Coupons[0].AmountOff = 500 }, catalog.Problems{{
			Field: "coupons[0]", Message: "must give either percent_off or amount_off, not both"}}},
		{"a site of a missing account", func(c *catalog.Catalog) { c.Sites[0].AccountID = 9 }, catalog.Problems{{
			Field: "sites[0].account_id", Message: "names account 9, which the file does not define"}}},
		{"a plan under a missing site", func(c *catalog.Catalog) { c.Products[0].SiteID = 9 }, catalog.Problems{
			{Field: "products[0].site_id", Message: "names site 9, which the file does not define"},
			{Field: "coupons[0].plan_ids[0]", Message: "names plan 4051 of site 9, not of the coupon's site 1232"}}},
		{"a coupon naming a missing plan", func(c *catalog.Catalog) { c.Coupons[0].PlanIDs = []int64{4099} }, catalog.Problems{{
			Field: "coupons[0].plan_ids[0]", Message: "names plan 4099, which the file does not define"}}},
		{"a group owner plan the file does not define", func(c *catalog.Catalog) { plan(c).GroupOwnerPlanID = 4099 }, catalog.Problems{{
			Field: "products[0].plans[1].group_owner_plan_id", Message: "names plan 4099, which the file does not define"}}},
		{"a plan its own group owner", func(c *catalog.Catalog) { plan(c).GroupOwnerPlanID = plan(c).ID }, catalog.Problems{{
			Field: "products[0].plans[1].group_owner_plan_id", Message: "names the plan itself"}}},
		{"expires_at not a time", func(c *catalog.Catalog) { plan(c).ExpiresAt = "2026-12-31" }, catalog.Problems{{
			Field: "products[0].plans[1].expires_at", Message: `must be an RFC 3339 time such as 2026-12-31T23:59:59Z, got "2026-12-31"`}}},
		{"agency remit rate above 100", func(c *catalog.Catalog) { plan(c).AgencyRemitRate = 101 }, catalog.Problems{{
			Field: "products[0].plans[1].agency_remit_rate", Message: "must be a percentage at least 0 and at most 100, got 101"}}},
		{"duplicate site ids", func(c *catalog.Catalog) { c.Sites = append(c.Sites, c.Sites[0]) }, catalog.Problems{{
			Field: "sites[1].id", Message: "repeats site 1232 (first at sites[0].id)"}}},
		{"a plan id used by two products", func(c *catalog.Catalog) {
			other := digitalAccess(monthlyPlan())
			other.ID = 11
			c.Products = append(c.Products, other)
		}, catalog.Problems{{Field: "products[1].plans[0].id", Message: "repeats plan id 4051 of product 10"}}},
		{"duplicate tax rate", func(c *catalog.Catalog) { c.TaxRates = append(c.TaxRates, quebecTax()) }, catalog.Problems{{
			Field: "tax_rates[1]", Message: "repeats the tax rate of site 1232, CA QC (first at tax_rates[0])"}}},
		{"a coupon code used twice on a site", func(c *catalog.Catalog) {
			again := welcomeCoupon()
			again.ID = 78
			c.Coupons = append(c.Coupons, again)
		}, catalog.Problems{{Field: "coupons[1].code", Message: "repeats code WELCOME10 of site 1232 (first at coupons[0].code)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given the example catalog with one mistake
			c := exampleCatalog()
			tt.change(&c)

			// When it is checked
			got := c.Problems()

			// Then exactly that mistake is reported
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Problems =\n\t%#v\nwant\n\t%#v", got, tt.want)
			}
			if len(got) > 0 && !errors.Is(got, catalog.ErrInvalid) {
				t.Fatalf("errors.Is(problems, ErrInvalid) = false")
			}
		})
	}
}
