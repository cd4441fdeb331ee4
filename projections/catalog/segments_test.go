package catalog_test

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// segmentRows reads what the segment tables and columns hold of the fixture, as one text.
func segmentRows(t *testing.T, env *catalogtest.Env) string {
	t.Helper()
	var row string
	err := env.DB.GetContext(context.Background(), &row, `SELECT concat_ws('|',
		(SELECT name || ' ' || rules::text FROM catalog_segments WHERE id = $1),
		(SELECT segment_ids::text FROM catalog_plans WHERE id = $2),
		(SELECT segment_ids::text || ' ' || plan_ids::text || ' ' || code FROM catalog_coupons WHERE id = $3),
		(SELECT segment_ids::text FROM catalog_skus WHERE id = $4))`,
		catalogtest.StudentsSegmentID, catalogtest.PaidPlanID, catalogtest.StudentCouponID, catalogtest.EcommerceSKUID)
	if err != nil {
		t.Fatalf("read segment rows: %v", err)
	}
	return row
}

func TestSegmentsAndTheirRestrictionsAreProjected(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected by a running runner
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)
	want := `Students [{"country": "", "plan_id": 0, "email_domain": "*.example.edu", "metadata_key": "", "metadata_value": ""}]` +
		`|{7}|{7} {102} STUDENT20|{}`
	if got := segmentRows(t, env); got != want {
		t.Fatalf("rows = %q\nwant   %q", got, want)
	}
	// When the segment gains a rule, the paid plan is opened to everybody and a SKU restricted to a
	// segment of its site
	c.Segments[0].Rules = append(c.Segments[0].Rules, catalog.SegmentRule{Country: "CA"})
	c.Segments[0].Name = "Canadian students"
	c.Products[0].Plans[1].SegmentIDs = nil
	c.Segments = append(c.Segments, catalog.Segment{ID: 8, SiteID: catalogtest.OtherSiteID,
		SegmentAttributes: catalog.SegmentAttributes{Name: "Quebec", Rules: []catalog.SegmentRule{{Country: "CA"}}}})
	c.EcommerceProducts[0].SKUs[1].SegmentIDs = []int64{8}
	env.Project(runner, c)
	// Then the rows follow
	want = `Canadian students [{"country": "", "plan_id": 0, "email_domain": "*.example.edu", "metadata_key": "", "metadata_value": ""}, ` +
		`{"country": "CA", "plan_id": 0, "email_domain": "", "metadata_key": "", "metadata_value": ""}]|{}|{7} {102} STUDENT20|{8}`
	if got := segmentRows(t, env); got != want {
		t.Fatalf("rows = %q\nwant   %q", got, want)
	}
}
