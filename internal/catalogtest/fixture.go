package catalogtest

import "github.com/pelcro-oss/pelcro-api/aggregates/catalog"

// Ids of the entities of Catalog, named for what the tests check with them.
const (
	SiteID      int64 = 1232 // the news site: every free-access case
	OtherSiteID int64 = 1233 // the magazine: another site's free plan, and its shop

	FreePlanID        int64 = 101 // active, amount 0: example.edu, *.example.edu, IPv4, IPv4 CIDR, IPv6 CIDR
	PaidPlanID        int64 = 102 // active, amount 500: paid.edu, 192.0.2.0/24
	RetiredPlanID     int64 = 103 // retired, amount 0: retired.edu, 10.9.0.0/16
	WildcardPlanID    int64 = 104 // active, amount 0: only *.Wild.ORG, one IPv6 address
	OtherSitePlanID   int64 = 201 // active, amount 0 on the other site: other.edu, 100.64.0.0/10
	ProductID         int64 = 10
	EcommerceProdID   int64 = 30
	EcommerceSKUID    int64 = 301
	EcommerceSKU2ID   int64 = 302
	StudentsSegmentID int64 = 7  // on SiteID: emails of *.example.edu; the paid plan and StudentCouponID are its
	StudentCouponID   int64 = 77 // 20% off the paid plan, for the students segment only
	otherSiteProduct  int64 = 20
	accountID         int64 = 1
	otherSiteCurrency       = "cad"
)

// The identity providers of the news site (SiteID); the other site has none.
const (
	GoogleAppID   = "news-web.apps.googleusercontent.com"
	FacebookAppID = "1234567890"
	Auth0BaseURL  = "https://example.eu.auth0.com"
	Auth0ClientID = "auth0-news-client"
)

// Catalog is a small catalog covering rules 13 and 14: free, paid, retired and wildcard-only plans on one
// site, a free plan on another, an e-commerce product with two SKUs (both sites sell: the order tests sell on
// the first), and a students segment the paid plan and a coupon are restricted to. Each call returns a fresh copy that tests may edit and import again.
func Catalog() catalog.Catalog {
	inactive := false
	plan := func(id, amount int64, domains, ips []string) catalog.Plan {
		return catalog.Plan{ID: id, PlanAttributes: catalog.PlanAttributes{Nickname: "Plan", Amount: amount,
			Currency: "usd", Interval: "year", IntervalCount: 1, Domains: domains, IPAddresses: ips}}
	}
	retired := plan(RetiredPlanID, 0, []string{"retired.edu"}, []string{"10.9.0.0/16"})
	retired.Active = &inactive
	free := plan(FreePlanID, 0, []string{"example.edu", "*.example.edu"},
		[]string{"198.51.100.0/24", "203.0.113.17", "2001:db8::/48"})
	free.Nickname, free.Type, free.MemberSeatCapacity = "Campus access", catalog.PlanTypeMembership, 250
	free.Entitlements, free.Countries, free.AvailableOnline = []string{"articles"}, []string{"US"}, true
	paid := plan(PaidPlanID, 500, []string{"paid.edu"}, []string{"192.0.2.0/24"})
	paid.SegmentIDs = []int64{StudentsSegmentID}
	return catalog.Catalog{
		Accounts: []catalog.Account{{ID: accountID, AccountAttributes: catalog.AccountAttributes{Name: "Example Media"}}},
		Sites: []catalog.Site{
			{ID: SiteID, AccountID: accountID, SiteAttributes: catalog.SiteAttributes{Name: "Example Publication",
				Slug: "example", Link: "https://example.com", DefaultCurrency: "usd", DefaultLocale: "en_US",
				PasswordlessEnabled: true, PasswordlessTokenDuration: 30, TaxesEnabled: true, AuthTokenTTLDays: 60,
				EcommerceEnabled: true, GoogleAppID: GoogleAppID, FacebookAppID: FacebookAppID, Auth0BaseURL: Auth0BaseURL, Auth0ClientID: Auth0ClientID}},
			{ID: OtherSiteID, AccountID: accountID, SiteAttributes: catalog.SiteAttributes{Name: "Example Quarterly",
				DefaultCurrency: otherSiteCurrency, DefaultLocale: "fr_CA", SecurityKey: "site-key", EcommerceEnabled: true}},
		},
		Products: []catalog.Product{
			{ID: ProductID, SiteID: SiteID, ProductAttributes: catalog.ProductAttributes{Name: "Digital Access",
				AddressRequired: true, Countries: []string{"US", "CA"}, Active: true}, Plans: []catalog.Plan{
				free,
				paid,
				retired,
				plan(WildcardPlanID, 0, []string{"*.Wild.ORG"}, []string{"2001:db8:1::5"}),
			}},
			{ID: otherSiteProduct, SiteID: OtherSiteID, ProductAttributes: catalog.ProductAttributes{Name: "Quarterly"},
				Plans: []catalog.Plan{plan(OtherSitePlanID, 0, []string{"other.edu"}, []string{"100.64.0.0/10"})}},
		},
		EcommerceProducts: []catalog.EcommerceProduct{
			{ID: EcommerceProdID, SiteID: OtherSiteID, EcommerceProductAttributes: catalog.EcommerceProductAttributes{
				Name: "Tote bag", Caption: "Canvas", Shippable: true, Countries: []string{"CA"}},
				SKUs: []catalog.SKU{
					{ID: EcommerceSKU2ID, SKUAttributes: catalog.SKUAttributes{Name: "Blue", Price: 2500, Currency: otherSiteCurrency, Inventory: new(int64(3))}},
					{ID: EcommerceSKUID, SKUAttributes: catalog.SKUAttributes{Name: "Red", Price: 2500, Currency: otherSiteCurrency, Inventory: new(int64(10))}},
				}},
		},
		Coupons: []catalog.Coupon{{ID: StudentCouponID, SiteID: SiteID, CouponAttributes: catalog.CouponAttributes{
			Code: "STUDENT20", PercentOff: 20, Duration: "once", PlanIDs: []int64{PaidPlanID},
			SegmentIDs: []int64{StudentsSegmentID}}}},
		Segments: []catalog.Segment{{ID: StudentsSegmentID, SiteID: SiteID, SegmentAttributes: catalog.SegmentAttributes{
			Name: "Students", Rules: []catalog.SegmentRule{{EmailDomain: "*.example.edu"}}}}},
	}
}
