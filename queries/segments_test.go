package queries_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// Customers of the segment tests: Ann is a gold student with a Canadian billing address (segments 7 and
// 8), Bob is gold with only a Canadian shipping address and an email of the bare domain (no segment), Cat
// holds the other site's plan (segment 9, once HeldPlans says so).
const (
	segmentAnn, segmentBob, segmentCat = int64(70), int64(71), int64(72)
	goldCanadians, otherSiteHolders    = int64(8), int64(9)
	goldCoupon                         = int64(78)
)

// segmentCatalog is the fixture catalog with two more segments and more items restricted to them.
func segmentCatalog() catalog.Catalog {
	c := catalogtest.Catalog()
	c.Segments = append(c.Segments,
		catalog.Segment{ID: goldCanadians, SiteID: catalogtest.SiteID, SegmentAttributes: catalog.SegmentAttributes{
			Name: "Gold Canadians", Rules: []catalog.SegmentRule{{Country: "CA"}, {MetadataKey: "tier", MetadataValue: "gold"}}}},
		catalog.Segment{ID: otherSiteHolders, SiteID: catalogtest.OtherSiteID, SegmentAttributes: catalog.SegmentAttributes{
			Name: "Quarterly holders", Rules: []catalog.SegmentRule{{PlanID: catalogtest.OtherSitePlanID}}}})
	plans := c.Products[0].Plans // 101 free (everybody), 102 paid [7], 103 retired, 104 wildcard
	plans[2].SegmentIDs = []int64{catalogtest.StudentsSegmentID}
	plans[3].SegmentIDs = []int64{catalogtest.StudentsSegmentID, goldCanadians}
	c.Coupons = append(c.Coupons, catalog.Coupon{ID: goldCoupon, SiteID: catalogtest.SiteID, CouponAttributes: catalog.CouponAttributes{
		Code: "GOLD5", AmountOff: 500, Currency: "usd", Duration: "repeating", DurationInMonths: 3, SegmentIDs: []int64{goldCanadians}}})
	c.EcommerceProducts[0].SKUs[1].SegmentIDs = []int64{otherSiteHolders} // SKU 301
	return c
}

func TestSegmentQueries(t *testing.T) {
	t.Parallel()
	env := catalogtest.New(t)
	env.Import(segmentCatalog())
	registry, err := aggregates.Merge(catalog.Events, customer.Events)
	if err != nil {
		t.Fatal(err)
	}
	gold := customer.Profile{Metadata: map[string]any{"tier": "gold"}}
	registered := func(id int64, email string, p customer.Profile) customer.Registered {
		return customer.Registered{CustomerID: id, AccountID: 1, SiteID: catalogtest.SiteID, Email: email,
			Method: "password", RegisteredAt: registeredAt, Profile: p}
	}
	address := func(customerID, id int64, kind customer.AddressType) customer.AddressAdded {
		return customer.AddressAdded{CustomerID: customerID, AddedAt: registeredAt, Address: customer.Address{ID: id,
			Type: kind, Line1: "1 Main St", Country: "CA", IsDefault: true}}
	}
	db := projectCustomersWith(t, env, registry, catalogprojections.All(), map[string][]customer.Event{
		"customer-70": {registered(segmentAnn, "ann@campus.example.edu", gold), address(segmentAnn, 701, customer.AddressBilling)},
		"customer-71": {registered(segmentBob, "bob@example.edu", gold), address(segmentBob, 711, customer.AddressShipping)},
		"customer-72": {registered(segmentCat, "cat@example.com", customer.Profile{})},
	})
	holders := func(_ context.Context, id int64) ([]int64, error) {
		if id == segmentCat {
			return []int64{catalogtest.OtherSitePlanID}, nil
		}
		return nil, nil
	}
	segments := queries.Segments{DB: db, HeldPlans: holders}
	for name, test := range map[string]func(*testing.T, queries.Segments){
		"eligible items": testEligibleItems, "allowed": testAllowed, "held plans": testHeldPlans,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, segments)
		})
	}
}

// ids lists the item ids with the ids of their segments, e.g. "102:7 104:7,8".
func ids[T any](items []T, id func(T) int64, segments func(T) []queries.SegmentRef) []string {
	out := []string{}
	for _, item := range items {
		line := strconv.FormatInt(id(item), 10) + ":"
		for i, s := range segments(item) {
			if i > 0 {
				line += ","
			}
			line += strconv.FormatInt(s.ID, 10)
		}
		out = append(out, line)
	}
	return out
}

func testEligibleItems(t *testing.T, s queries.Segments) {
	ctx := t.Context()
	planIDs := func(customerID int64) []string {
		plans, err := s.Plans(ctx, catalogtest.SiteID, customerID)
		if err != nil {
			t.Fatal(err)
		}
		return ids(plans, func(p queries.EligiblePlan) int64 { return p.ID }, func(p queries.EligiblePlan) []queries.SegmentRef { return p.Segments })
	}
	// then Ann gets the active restricted plans with the segments she is in (not the plan for everybody,
	// not the retired one), and Bob, Cat and an unknown customer none
	check(t, "Ann's plans", planIDs(segmentAnn), nil, []string{"102:7", "104:7,8"}, nil)
	check(t, "Bob's plans", planIDs(segmentBob), nil, []string{}, nil)
	check(t, "Cat's plans", planIDs(segmentCat), nil, []string{}, nil)
	check(t, "an unknown customer's plans", planIDs(999), nil, []string{}, nil)

	coupons, err := s.Coupons(ctx, catalogtest.SiteID, segmentAnn)
	if err != nil || len(coupons) != 2 {
		t.Fatalf("Ann's coupons = %+v, %v", coupons, err)
	}
	assertJSON(t, coupons[1], `{"id":78,"object":"coupon","code":"GOLD5","name":"","percent_off":null,"amount_off":500,
		"currency":"usd","duration":"repeating","duration_in_months":3,"plan_ids":[],
		"segments":[{"id":8,"name":"Gold Canadians"}]}`)
	plans, err := s.Plans(ctx, catalogtest.SiteID, segmentAnn)
	if err != nil || plans[0].Nickname != "Plan" || plans[0].Product.ID != catalogtest.ProductID || plans[0].Segments[0].Name != "Students" {
		t.Fatalf("Ann's first plan = %+v, %v; want the plan with its product and segment", plans, err)
	}
}

func testAllowed(t *testing.T, s queries.Segments) {
	ctx := t.Context()
	cases := []struct {
		name    string
		allowed func() (bool, error)
		want    bool
		wantErr error
	}{
		{"a plan for everybody", func() (bool, error) {
			return s.PlanAllowed(ctx, catalogtest.SiteID, segmentBob, catalogtest.FreePlanID)
		}, true, nil},
		{"a restricted plan, outside its segment", func() (bool, error) {
			return s.PlanAllowed(ctx, catalogtest.SiteID, segmentBob, catalogtest.PaidPlanID)
		}, false, nil},
		{"a restricted plan, inside its segment", func() (bool, error) {
			return s.PlanAllowed(ctx, catalogtest.SiteID, segmentAnn, catalogtest.PaidPlanID)
		}, true, nil},
		{"an unknown customer", func() (bool, error) { return s.PlanAllowed(ctx, catalogtest.SiteID, 999, catalogtest.PaidPlanID) }, false, nil},
		{"a plan of another site", func() (bool, error) {
			return s.PlanAllowed(ctx, catalogtest.SiteID, segmentAnn, catalogtest.OtherSitePlanID)
		}, false, queries.ErrNotFound},
		{"a restricted coupon, inside", func() (bool, error) { return s.CouponAllowed(ctx, catalogtest.SiteID, segmentAnn, "GOLD5") }, true, nil},
		{"a restricted coupon, outside", func() (bool, error) { return s.CouponAllowed(ctx, catalogtest.SiteID, segmentBob, "GOLD5") }, false, nil},
		{"an unknown coupon", func() (bool, error) { return s.CouponAllowed(ctx, catalogtest.SiteID, segmentAnn, "NOPE") }, false, queries.ErrNotFound},
	}
	for _, tc := range cases {
		got, err := tc.allowed()
		check(t, tc.name, got, err, tc.want, tc.wantErr)
	}
}

func testHeldPlans(t *testing.T, s queries.Segments) {
	ctx := t.Context()
	skuIDs := func(s queries.Segments) ([]string, error) {
		skus, err := s.SKUs(ctx, catalogtest.OtherSiteID, segmentCat)
		return ids(skus, func(k queries.EligibleSKU) int64 { return k.ID }, func(k queries.EligibleSKU) []queries.SegmentRef { return k.Segments }), err
	}
	// then Cat, holding the other site's plan, gets its restricted SKU
	got, err := skuIDs(s)
	check(t, "Cat's SKUs", got, err, []string{"301:9"}, nil)
	// then without HeldPlans nobody holds a plan
	got, err = skuIDs(queries.Segments{DB: s.DB})
	check(t, "Cat's SKUs without HeldPlans", got, err, []string{}, nil)
	// then a failing HeldPlans fails the question
	broken := errors.New("subscriptions unavailable")
	_, err = skuIDs(queries.Segments{DB: s.DB, HeldPlans: func(context.Context, int64) ([]int64, error) { return nil, broken }})
	if !errors.Is(err, broken) {
		t.Fatalf("SKUs with a failing HeldPlans: %v, want %v", err, broken)
	}
}
