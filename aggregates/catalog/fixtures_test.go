package catalog_test

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// Fixed business times: aggtest compares events with reflect.DeepEqual.
var (
	defineTime = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	changeTime = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
)

func ptr[T any](v T) *T { return &v }

func exampleAccount() catalog.Account {
	return catalog.Account{ID: 1, AccountAttributes: catalog.AccountAttributes{Name: "Example Media Group"}}
}

func exampleSite() catalog.Site {
	return catalog.Site{ID: 1232, AccountID: 1, SiteAttributes: catalog.SiteAttributes{
		Name: "Example Publication", Link: "https://example.com", DefaultCurrency: "usd", DefaultLocale: "en_US",
		PasswordlessEnabled: true, PasswordlessTokenDuration: 1, EmailVerifyEnabled: true, AuthTokenTTLDays: 60,
	}}
}

func monthlyPlan() catalog.Plan {
	return catalog.Plan{ID: 4051, Active: ptr(true), PlanAttributes: catalog.PlanAttributes{
		Nickname: "Monthly", Amount: 999, Currency: "usd", Interval: "month", IntervalCount: 1, AutoRenew: true,
	}}
}

func campusPlan() catalog.Plan {
	return catalog.Plan{ID: 4052, PlanAttributes: catalog.PlanAttributes{
		Nickname: "Campus access", Type: catalog.PlanTypeMembership, MemberSeatCapacity: 25, Currency: "usd",
		Interval: "year", IntervalCount: 1, Domains: []string{"example.edu", "*.example.edu"},
		IPAddresses: []string{"198.51.100.0/24", "2001:db8::/48"},
	}}
}

func digitalAccess(plans ...catalog.Plan) catalog.Product {
	return catalog.Product{ID: 10, SiteID: 1232, Plans: plans, ProductAttributes: catalog.ProductAttributes{
		Name: "Digital Access", Countries: []string{},
	}}
}

func welcomeCoupon() catalog.Coupon {
	return catalog.Coupon{ID: 77, SiteID: 1232, CouponAttributes: catalog.CouponAttributes{
		Code: "WELCOME10", PercentOff: 10, Duration: "once", PlanIDs: []int64{4051},
	}}
}

func toteBag(skus ...catalog.SKU) catalog.EcommerceProduct {
	return catalog.EcommerceProduct{ID: 301, SiteID: 1232, SKUs: skus,
		EcommerceProductAttributes: catalog.EcommerceProductAttributes{Name: "Tote bag", Shippable: true}}
}

func blueTote() catalog.SKU {
	return catalog.SKU{ID: 9001, SKUAttributes: catalog.SKUAttributes{
		Name: "Tote bag, blue", Price: 2500, Currency: "usd", Inventory: ptr(int64(100)),
	}}
}

func quebecTax() catalog.TaxRate {
	return catalog.TaxRate{
		TaxRateRef:        catalog.TaxRateRef{SiteID: 1232, Country: "CA", State: "QC"},
		TaxRateAttributes: catalog.TaxRateAttributes{Name: "GST+QST", Percentage: 14.975},
	}
}

func studentsSegment() catalog.Segment {
	return catalog.Segment{ID: 5, SiteID: 1232, SegmentAttributes: catalog.SegmentAttributes{
		Name: "Canadian students", Rules: []catalog.SegmentRule{{EmailDomain: "*.example.edu"}, {Country: "CA"}},
	}}
}

// exampleCatalog is a valid catalog using every fixture.
func exampleCatalog() catalog.Catalog {
	return catalog.Catalog{
		Accounts:          []catalog.Account{exampleAccount()},
		Sites:             []catalog.Site{exampleSite()},
		Products:          []catalog.Product{digitalAccess(monthlyPlan(), campusPlan())},
		Coupons:           []catalog.Coupon{welcomeCoupon()},
		EcommerceProducts: []catalog.EcommerceProduct{toteBag(blueTote())},
		TaxRates:          []catalog.TaxRate{quebecTax()},
		Segments:          []catalog.Segment{studentsSegment()},
	}
}
