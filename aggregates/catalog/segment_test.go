package catalog_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var segments = aggtest.For(catalog.Events, catalog.EvolveSegment)

func segmentDefined() catalog.SegmentDefined {
	s := studentsSegment()
	return catalog.SegmentDefined{SegmentID: s.ID, SiteID: s.SiteID, SegmentAttributes: s.SegmentAttributes, DefinedAt: defineTime}
}

func TestSegmentDecisions(t *testing.T) {
	t.Parallel()
	narrower := studentsSegment()
	narrower.Rules = append(narrower.Rules, catalog.SegmentRule{PlanID: 4051})
	otherSite := studentsSegment()
	otherSite.SiteID = 1233
	noRules := studentsSegment()
	noRules.Rules = nil

	t.Run("define", func(t *testing.T) {
		segments.Given().When(func(s catalog.SegmentState) ([]catalog.SegmentEvent, error) {
			return catalog.DefineSegment(s, studentsSegment(), defineTime)
		}).Then(t, segmentDefined())
	})
	t.Run("a changed rule list is carried whole", func(t *testing.T) {
		segments.Given(segmentDefined()).When(func(s catalog.SegmentState) ([]catalog.SegmentEvent, error) {
			return catalog.ChangeSegment(s, narrower, changeTime)
		}).Then(t, catalog.SegmentChanged{SegmentID: 5, SiteID: 1232,
			Changes: catalog.SegmentPatch{Rules: &narrower.Rules}, ChangedAt: changeTime})
	})
	t.Run("the same segment again is no event", func(t *testing.T) {
		segments.Given(segmentDefined()).When(func(s catalog.SegmentState) ([]catalog.SegmentEvent, error) {
			return catalog.ChangeSegment(s, studentsSegment(), changeTime)
		}).Then(t)
	})
	t.Run("a segment cannot move to another site", func(t *testing.T) {
		segments.Given(segmentDefined()).When(func(s catalog.SegmentState) ([]catalog.SegmentEvent, error) {
			return catalog.ChangeSegment(s, otherSite, changeTime)
		}).ThenError(t, catalog.ErrOwnerChanged)
	})
	t.Run("a segment without rules is refused", func(t *testing.T) {
		segments.Given().When(func(s catalog.SegmentState) ([]catalog.SegmentEvent, error) {
			return catalog.DefineSegment(s, noRules, defineTime)
		}).ThenError(t, catalog.ErrInvalid)
	})
}

func TestSegmentProblems(t *testing.T) {
	t.Parallel()
	segment := func(c *catalog.Catalog) *catalog.Segment { return &c.Segments[0] }
	tests := []struct {
		name   string
		change func(c *catalog.Catalog)
		want   catalog.Problems
	}{
		{"a rule of two kinds", func(c *catalog.Catalog) { segment(c).Rules[1].PlanID = 4051 }, catalog.Problems{{
			Field: "segments[0].rules[1]", Message: "must give exactly one of email_domain, country, metadata_key (with metadata_value) or plan_id"}}},
		{"a rule of no kind", func(c *catalog.Catalog) { segment(c).Rules[1] = catalog.SegmentRule{} }, catalog.Problems{{
			Field: "segments[0].rules[1]", Message: "must give exactly one of email_domain, country, metadata_key (with metadata_value) or plan_id"}}},
		{"a lower-case country", func(c *catalog.Catalog) { segment(c).Rules[1].Country = "ca" }, catalog.Problems{{
			Field: "segments[0].rules[1].country", Message: `must be a two-letter uppercase ISO country code such as CA, got "ca"`}}},
		{"a wildcard inside a domain", func(c *catalog.Catalog) { segment(c).Rules[0].EmailDomain = "a.*.edu" }, catalog.Problems{{
			Field: "segments[0].rules[0].email_domain", Message: `may hold a wildcard only as its first label, as in *.example.edu, got "a.*.edu"`}}},
		{"a metadata key without a value", func(c *catalog.Catalog) {
			segment(c).Rules[1] = catalog.SegmentRule{MetadataKey: "tier"}
		}, catalog.Problems{{Field: "segments[0].rules[1].metadata_value", Message: "is required"}}},
		{"a plan rule naming a missing plan", func(c *catalog.Catalog) { segment(c).Rules[1] = catalog.SegmentRule{PlanID: 4099} },
			catalog.Problems{{Field: "segments[0].rules[1].plan_id", Message: "names plan 4099, which the file does not define"}}},
		{"a segment of a missing site", func(c *catalog.Catalog) { segment(c).SiteID = 9 }, catalog.Problems{{
			Field: "segments[0].site_id", Message: "names site 9, which the file does not define"}}},
		{"a segment id used twice", func(c *catalog.Catalog) { c.Segments = append(c.Segments, studentsSegment()) }, catalog.Problems{{
			Field: "segments[1].id", Message: "repeats segment 5 (first at segments[0].id)"}}},
		{"a plan naming a missing segment", func(c *catalog.Catalog) { c.Products[0].Plans[0].SegmentIDs = []int64{6} },
			catalog.Problems{{Field: "products[0].plans[0].segment_ids[0]", Message: "names segment 6, which the file does not define"}}},
		{"a coupon naming a segment twice", func(c *catalog.Catalog) { c.Coupons[0].SegmentIDs = []int64{5, 5} },
			catalog.Problems{{Field: "coupons[0].segment_ids[1]", Message: "repeats 5"}}},
		{"a SKU naming a segment of another site", func(c *catalog.Catalog) {
			other := exampleSite()
			other.ID = 1233
			c.Sites = append(c.Sites, other)
			segment(c).SiteID, segment(c).Rules = 1233, segment(c).Rules[:1]
			c.EcommerceProducts[0].SKUs[0].SegmentIDs = []int64{5}
		}, catalog.Problems{{Field: "ecommerce_products[0].skus[0].segment_ids[0]",
			Message: "names segment 5 of site 1233, not of the SKU's site 1232"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given the example catalog with one mistake
			c := exampleCatalog()
			tt.change(&c)
			// When it is checked, then exactly that mistake is reported
			if got := c.Problems(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Problems =\n\t%#v\nwant\n\t%#v", got, tt.want)
			}
		})
	}
}
