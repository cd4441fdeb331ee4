package queries_test

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestCatalogQueries projects the fixture catalog once and runs every read-only query test over it, as
// parallel subtests (the database lives until they all end).
func TestCatalogQueries(t *testing.T) {
	t.Parallel()
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	q := queries.NewCatalog(env.DB)
	for name, test := range map[string]func(*testing.T, *queries.Catalog){
		"Site": testSite, "Plan": testPlan, "PlansByEmailDomain": testPlansByEmailDomain,
		"PlansByEmailDomain invalid emails": testInvalidEmails, "PlansByIP": testPlansByIP,
		"EcommerceProducts": testEcommerceProducts,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, q)
		})
	}
}

// check fails the test when err is not wantErr (nil: no error) or got differs from want.
func check[T any](t *testing.T, what string, got T, err error, want T, wantErr error) {
	t.Helper()
	if !errors.Is(err, wantErr) {
		t.Fatalf("%s: err = %v, want %v", what, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n%+v\nwant\n%+v", what, got, want)
	}
}

func planIDs(plans []queries.Plan) []int64 {
	ids := []int64{}
	for _, p := range plans {
		ids = append(ids, p.ID)
	}
	return ids
}

// null is how a free-form value the catalog leaves unset reads.
var null = queries.JSON("null")

// withoutDocuments is site with every free-form value unset, as the fixture catalog leaves them.
func withoutDocuments(site queries.Site) queries.Site {
	site.BraintreeGatewaySettings, site.VantivGatewaySettings, site.TapGatewaySettings = null, null, null
	site.CybersourceGatewaySettings, site.Logo, site.Paywalls, site.Newsletters, site.DesignSettings = null, null, null, null, null
	return site
}

func testSite(t *testing.T, q *queries.Catalog) {
	ctx := context.Background()
	key := "site-key"
	site, err := q.Site(ctx, catalogtest.OtherSiteID)
	check(t, "site with a security key, token lifetimes unset", site, err, withoutDocuments(queries.Site{ID: catalogtest.OtherSiteID, AccountID: 1,
		Name: "Example Quarterly", DefaultCurrency: "cad", DefaultLocale: "fr_CA", DefaultLanguage: "fr",
		SecurityKey: &key, EcommerceEnabled: true, PasswordlessTokenDuration: 1, AuthTokenTTLDays: 60}), nil)

	site, err = q.Site(ctx, catalogtest.SiteID)
	check(t, "site without a security key, with identity providers", site, err, withoutDocuments(queries.Site{ID: catalogtest.SiteID, AccountID: 1,
		Name: "Example Publication", Slug: "example", Link: "https://example.com", DefaultCurrency: "usd",
		DefaultLocale: "en_US", DefaultLanguage: "en", PasswordlessEnabled: true, PasswordlessTokenDuration: 30,
		EcommerceEnabled: true, TaxesEnabled: true, AuthTokenTTLDays: 60, GoogleAppID: ptr(catalogtest.GoogleAppID),
		FacebookAppID: ptr(catalogtest.FacebookAppID), Auth0BaseURL: ptr(catalogtest.Auth0BaseURL),
		Auth0ClientID: ptr(catalogtest.Auth0ClientID)}), nil)

	site, err = q.Site(ctx, 999)
	check(t, "unknown site", site, err, queries.Site{}, queries.ErrNotFound)
}

func testPlan(t *testing.T, q *queries.Catalog) {
	ctx := context.Background()
	plan, err := q.Plan(ctx, catalogtest.SiteID, catalogtest.FreePlanID)
	check(t, "free plan", plan, err, queries.Plan{ID: catalogtest.FreePlanID, ProductID: catalogtest.ProductID,
		SiteID: catalogtest.SiteID, Active: true, Nickname: "Campus access", Type: "membership", Amount: 0,
		Currency: "usd", Interval: "year", IntervalCount: 1, Countries: queries.Strings{"US"},
		Domains:            queries.Strings{"example.edu", "*.example.edu"},
		IPAddresses:        queries.Strings{"198.51.100.0/24", "203.0.113.17", "2001:db8::/48"},
		MemberSeatCapacity: 250, Entitlements: queries.Strings{"articles"}, AddressRequired: true,
		AvailableOnline: true, Metadata: null, SegmentIDs: queries.IDs{},
		Product: queries.Product{ID: catalogtest.ProductID, SiteID: catalogtest.SiteID, Name: "Digital Access",
			AddressRequired: true, Countries: queries.Strings{"US", "CA"}, Active: true, PackageDimensions: null},
	}, nil)

	retired, err := q.Plan(ctx, catalogtest.SiteID, catalogtest.RetiredPlanID)
	check(t, "retired plan (still readable) is active", retired.Active, err, false, nil)

	plan, err = q.Plan(ctx, catalogtest.OtherSiteID, catalogtest.FreePlanID)
	check(t, "plan of another site", plan, err, queries.Plan{}, queries.ErrNotFound)
	plan, err = q.Plan(ctx, catalogtest.SiteID, 999)
	check(t, "unknown plan", plan, err, queries.Plan{}, queries.ErrNotFound)
}

func testPlansByEmailDomain(t *testing.T, q *queries.Catalog) {
	tests := []struct {
		name  string
		site  int64
		email string
		want  []int64
	}{
		{"exact domain", catalogtest.SiteID, "ada@example.edu", []int64{catalogtest.FreePlanID}},
		{"domain in capitals", catalogtest.SiteID, "Ada@EXAMPLE.edu", []int64{catalogtest.FreePlanID}},
		{"subdomain by wildcard", catalogtest.SiteID, "ada@cs.example.edu", []int64{catalogtest.FreePlanID}},
		{"deep subdomain by wildcard", catalogtest.SiteID, "ada@a.cs.example.edu", []int64{catalogtest.FreePlanID}},
		{"wildcard pattern in capitals", catalogtest.SiteID, "ada@lab.wild.org", []int64{catalogtest.WildcardPlanID}},
		{"wildcard does not cover the bare domain", catalogtest.SiteID, "ada@wild.org", []int64{}},
		{"suffix without a dot boundary", catalogtest.SiteID, "ada@notexample.edu", []int64{}},
		{"exact pattern does not cover subdomains", catalogtest.SiteID, "ada@x.paid.edu", []int64{}},
		{"paid plan", catalogtest.SiteID, "ada@paid.edu", []int64{}},
		{"retired plan", catalogtest.SiteID, "ada@retired.edu", []int64{}},
		{"plan of another site", catalogtest.SiteID, "ada@other.edu", []int64{}},
		{"the other site's own plan", catalogtest.OtherSiteID, "ada@other.edu", []int64{catalogtest.OtherSitePlanID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plans, err := q.PlansByEmailDomain(context.Background(), tt.site, tt.email)
			check(t, tt.email, planIDs(plans), err, tt.want, nil)
		})
	}
}

func testInvalidEmails(t *testing.T, q *queries.Catalog) {
	for _, email := range []string{"", "example.edu", "ada@", "@example.edu", "ada@@example.edu",
		"Ada <ada@example.edu>", " ada@example.edu", "ada@localhost", "ada@[192.0.2.1]", "ada@-x.edu",
		"ada@exa_mple.edu", "ada@example..edu"} {
		plans, err := q.PlansByEmailDomain(context.Background(), catalogtest.SiteID, email)
		check(t, email, plans, err, nil, queries.ErrInvalidEmail)
	}
}

func testPlansByIP(t *testing.T, q *queries.Catalog) {
	tests := []struct {
		name string
		site int64
		ip   string
		want []int64
	}{
		{"IPv4 in a CIDR range", catalogtest.SiteID, "198.51.100.7", []int64{catalogtest.FreePlanID}},
		{"IPv4 single address", catalogtest.SiteID, "203.0.113.17", []int64{catalogtest.FreePlanID}},
		{"IPv4 next to the single address", catalogtest.SiteID, "203.0.113.18", []int64{}},
		{"IPv4-mapped IPv6", catalogtest.SiteID, "::ffff:198.51.100.7", []int64{catalogtest.FreePlanID}},
		{"IPv6 in a CIDR range", catalogtest.SiteID, "2001:db8::1", []int64{catalogtest.FreePlanID}},
		{"IPv6 single address", catalogtest.SiteID, "2001:db8:1::5", []int64{catalogtest.WildcardPlanID}},
		{"IPv6 outside every range", catalogtest.SiteID, "2001:db8:1::6", []int64{}},
		{"paid plan", catalogtest.SiteID, "192.0.2.5", []int64{}},
		{"retired plan", catalogtest.SiteID, "10.9.1.1", []int64{}},
		{"plan of another site", catalogtest.SiteID, "100.64.0.1", []int64{}},
		{"the other site's own plan", catalogtest.OtherSiteID, "100.64.0.1", []int64{catalogtest.OtherSitePlanID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plans, err := q.PlansByIP(context.Background(), tt.site, netip.MustParseAddr(tt.ip))
			check(t, tt.ip, planIDs(plans), err, tt.want, nil)
		})
	}
	plans, err := q.PlansByIP(context.Background(), catalogtest.SiteID, netip.Addr{})
	check(t, "zero address", plans, err, nil, queries.ErrInvalidIP)
}

func testEcommerceProducts(t *testing.T, q *queries.Catalog) {
	products, err := q.EcommerceProducts(context.Background(), catalogtest.OtherSiteID)
	check(t, "the shop's products", products, err, []queries.EcommerceProduct{{ID: catalogtest.EcommerceProdID,
		Name: "Tote bag", Caption: "Canvas", Shippable: true, Countries: queries.Strings{"CA"}, SKUs: []queries.SKU{
			{ID: catalogtest.EcommerceSKUID, EcommerceProductID: catalogtest.EcommerceProdID, Name: "Red", Price: 2500, Currency: "cad", Inventory: new(int64(10)), Available: new(int64(10))},
			{ID: catalogtest.EcommerceSKU2ID, EcommerceProductID: catalogtest.EcommerceProdID, Name: "Blue", Price: 2500, Currency: "cad", Inventory: new(int64(3)), Available: new(int64(3))},
		}}}, nil)

	products, err = q.EcommerceProducts(context.Background(), catalogtest.SiteID)
	check(t, "a site without a shop", products, err, []queries.EcommerceProduct{}, nil)
}

func TestAChangeIsVisibleAfterWaitFor(t *testing.T) {
	t.Parallel()
	// Given a running runner that projected the fixture catalog
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)

	// When the catalog is imported again with the site's name and one SKU's inventory changed
	c.Sites[1].Name = "Example Quarterly Review"
	c.EcommerceProducts[0].SKUs[1].Inventory = new(int64(7))
	env.Project(runner, c)

	// Then the queries return the new values, and the fields the change events left out keep theirs
	q := queries.NewCatalog(env.DB)
	site, err := q.Site(context.Background(), catalogtest.OtherSiteID)
	check(t, "site name and locale", []string{site.Name, site.DefaultLocale}, err,
		[]string{"Example Quarterly Review", "fr_CA"}, nil)
	products, err := q.EcommerceProducts(context.Background(), catalogtest.OtherSiteID)
	if err != nil || len(products) != 1 {
		t.Fatalf("products = %+v, %v", products, err)
	}
	i := slices.IndexFunc(products[0].SKUs, func(s queries.SKU) bool { return s.ID == catalogtest.EcommerceSKUID })
	check(t, "changed SKU", products[0].SKUs[i], nil, queries.SKU{ID: catalogtest.EcommerceSKUID,
		EcommerceProductID: catalogtest.EcommerceProdID, Name: "Red", Price: 2500, Currency: "cad", Inventory: new(int64(7)),
		Available: new(int64(7))}, nil)
}

// TestLookupsByTextNoRowCanHoldFindNothing looks coupons and tax rates up by texts PostgreSQL cannot take
// as a parameter (a NUL, invalid UTF-8) and by one with another control character: each finds nothing,
// as an unknown code does, instead of failing the query (which answered 500 for a NUL in a coupon code).
func TestLookupsByTextNoRowCanHoldFindNothing(t *testing.T) {
	t.Parallel()
	// given the fixture catalog
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	q := queries.NewCatalog(env.DB)
	for name, text := range map[string]string{"a NUL": "SAVE\x0010", "invalid UTF-8": "SAVE\xff10",
		"an escape": "SAVE\x1b10", "a lone NUL": "\x00"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// when a coupon is looked up by that code, then there is none
			if _, err := q.CouponByCode(t.Context(), catalogtest.SiteID, text); !errors.Is(err, queries.ErrNotFound) {
				t.Errorf("CouponByCode(%q) = %v, want ErrNotFound", text, err)
			}
			// when tax rates are read for that country or state, then there are none, and no error
			for _, place := range [][2]string{{text, ""}, {"US", text}} {
				if settings, err := q.TaxRates(t.Context(), catalogtest.SiteID, place[0], place[1]); err != nil || len(settings.Rates) != 0 {
					t.Errorf("TaxRates(%q) = %+v, %v; want no rate", place, settings, err)
				}
			}
		})
	}
}

// TestAShopNotSellingListsNoProducts imports the fixture catalog with the shop's site not selling
// (ecommerce_enabled off): its public product list is empty, as a site without a shop's, though the
// catalog keeps its products for the day it opens.
func TestAShopNotSellingListsNoProducts(t *testing.T) {
	t.Parallel()
	// given the shop's site with ecommerce_enabled off
	env := catalogtest.New(t)
	closed := catalogtest.Catalog()
	for i := range closed.Sites {
		closed.Sites[i].EcommerceEnabled = false
	}
	env.WaitFor(env.Start(), env.Import(closed))
	// when its products are listed, then there are none
	products, err := queries.NewCatalog(env.DB).EcommerceProducts(t.Context(), catalogtest.OtherSiteID)
	check(t, "a shop that does not sell", products, err, []queries.EcommerceProduct{}, nil)
}
