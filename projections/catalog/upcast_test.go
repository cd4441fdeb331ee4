package catalog_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

func TestEventsWrittenBeforeTheNewFieldsProjectWithTheirDefaults(t *testing.T) {
	t.Parallel()
	// given a product and its plan defined by events of schema version 1, written before a product's
	// active, a plan's available_online, the free-form fields and segment_ids existed
	env := catalogtest.New(t)
	ctx := context.Background()
	v1 := []byte(`{"schema_version":1}`)
	result, err := env.Store.Append(ctx, "catalog_product-900", eventstore.NoStream(),
		eventstore.EventData{ID: uuid.New(), Type: "catalog.product_defined", Metadata: v1,
			Data: []byte(`{"product_id":900,"site_id":1,"name":"Old","countries":[]}`)},
		eventstore.EventData{ID: uuid.New(), Type: "catalog.plan_defined", Metadata: v1,
			Data: []byte(`{"plan_id":901,"product_id":900,"site_id":1,"nickname":"Old plan","currency":"usd",` +
				`"interval":"year","interval_count":1,"active":true,"domains":["old.edu"]}`)})
	if err != nil {
		t.Fatal(err)
	}

	// when the catalog projections apply them
	env.WaitFor(env.Start(), result.Position)

	// then the rows read as if a file had left the new fields out: the flags true, the rest unset, the
	// plan for everybody
	type row struct {
		Active, AvailableOnline     bool
		Metadata, PackageDimensions string
		ExpiresAt, AppleProductID   string
		SegmentIDs                  string
		FreeAccessDomains           int
	}
	var got row
	err = env.DB.QueryRowContext(ctx, `SELECT pr.active, p.available_online, p.metadata::text,
		pr.package_dimensions::text, p.expires_at, p.apple_product_id, p.segment_ids::text,
		(SELECT count(*) FROM catalog_plan_domains d WHERE d.plan_id = p.id)
		FROM catalog_plans p JOIN catalog_products pr ON pr.id = p.product_id WHERE p.id = 901`).Scan(
		&got.Active, &got.AvailableOnline, &got.Metadata, &got.PackageDimensions, &got.ExpiresAt,
		&got.AppleProductID, &got.SegmentIDs, &got.FreeAccessDomains)
	want := row{Active: true, AvailableOnline: true, Metadata: "null", PackageDimensions: "null", SegmentIDs: "{}",
		FreeAccessDomains: 1}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v, %v; want %+v", got, err, want)
	}
}
