package commands_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

// exampleEventCount is how many events a first import of examples/catalog.yaml writes: one per account,
// site, product, plan, coupon, e-commerce product, SKU, tax rate and segment.
const exampleEventCount = 1 + 2 + 3 + 6 + 3 + 2 + 3 + 3 + 2

var importTime = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func exampleCatalog(t *testing.T) catalog.Catalog {
	t.Helper()
	c, err := catalogfile.ParseFile("../examples/catalog.yaml")
	if err != nil {
		t.Fatalf("parse example: %v", err)
	}
	return c
}

func importCatalog(ctx context.Context, t *testing.T, store eventstore.Store, c catalog.Catalog) commands.ImportSummary {
	t.Helper()
	summary, err := commands.ImportCatalog(ctx, store, c, importTime)
	if err != nil {
		t.Fatalf("ImportCatalog: %v", err)
	}
	return summary
}

func TestImportingTheSameFileTwiceAppendsNothing(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)

	// Given the example imported once
	first := importCatalog(ctx, t, store, c)
	if first[catalog.KindPlan] != (commands.KindCounts{Created: 6}) || first[catalog.KindSite] != (commands.KindCounts{Created: 2}) {
		t.Fatalf("first import summary = %+v", first)
	}
	before := catalogEvents(ctx, t, store, c)

	// When it is imported again
	second := importCatalog(ctx, t, store, c)

	// Then no event is appended and everything counts as unchanged
	if after := catalogEvents(ctx, t, store, c); len(before) != exampleEventCount || len(after) != len(before) {
		t.Fatalf("events: %d after the first import, %d after the second; want %d both times",
			len(before), len(after), exampleEventCount)
	}
	if second[catalog.KindPlan] != (commands.KindCounts{Unchanged: 6}) || second[catalog.KindTaxRate] != (commands.KindCounts{Unchanged: 3}) ||
		second[catalog.KindSegment] != (commands.KindCounts{Unchanged: 2}) {
		t.Fatalf("second import summary = %+v", second)
	}
}

func TestChangingOneFieldAppendsOneEventForThatEntity(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)
	importCatalog(ctx, t, store, c)

	// When one plan's amount changes, and the file no longer lists the other site's product (nor the
	// segment naming its plan, nor the shop restricted to that segment)
	c.Products[0].Plans[0].Amount = 1099
	c.Products, c.Segments, c.EcommerceProducts = c.Products[:2], c.Segments[:1], nil
	summary := importCatalog(ctx, t, store, c)

	// Then exactly one plan_changed event is appended, and the left-out product is left alone
	if events := catalogEvents(ctx, t, store, exampleCatalog(t)); len(events) != exampleEventCount+1 {
		t.Fatalf("got %d events, want %d", len(events), exampleEventCount+1)
	}
	last := lastEvent(ctx, t, store, "catalog_product-10")
	if last.Type != "catalog.plan_changed" {
		t.Fatalf("last event of product 10 is %s, want catalog.plan_changed", last.Type)
	}
	if string(last.Data) != `{"plan_id":4051,"product_id":10,"site_id":1232,"changes":{"amount":1099},"changed_at":"2026-05-01T12:00:00Z"}` {
		t.Fatalf("plan_changed data = %s", last.Data)
	}
	if summary[catalog.KindPlan] != (commands.KindCounts{Changed: 1, Unchanged: 4}) {
		t.Fatalf("summary = %+v", summary)
	}
}

func TestChangingASegmentAppendsOneEventForIt(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)
	importCatalog(ctx, t, store, c)

	// When a segment's rules narrow down
	c.Segments[1].Rules = append(c.Segments[1].Rules, catalog.SegmentRule{MetadataKey: "tier", MetadataValue: "gold"})
	summary := importCatalog(ctx, t, store, c)

	// Then one segment_changed carries the whole new rule list, and nothing else changed
	last := lastEvent(ctx, t, store, "catalog_segment-2")
	want := `{"segment_id":2,"site_id":1233,"changes":{"rules":[{"email_domain":"","country":"","metadata_key":"","metadata_value":"","plan_id":5001},` +
		`{"email_domain":"","country":"","metadata_key":"tier","metadata_value":"gold","plan_id":0}]},"changed_at":"2026-05-01T12:00:00Z"}`
	if last.Type != "catalog.segment_changed" || string(last.Data) != want {
		t.Fatalf("last event of segment 2 = %s %s, want catalog.segment_changed %s", last.Type, last.Data, want)
	}
	if summary[catalog.KindSegment] != (commands.KindCounts{Changed: 1, Unchanged: 1}) ||
		len(catalogEvents(ctx, t, store, c)) != exampleEventCount+1 {
		t.Fatalf("summary = %+v", summary)
	}
}

func TestAnInvalidFileWritesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		given   bool // import the valid example first
		change  func(c *catalog.Catalog)
		wantErr error
	}{
		{"a broken rule", false, func(c *catalog.Catalog) { c.TaxRates[2].Percentage = 130 }, catalog.ErrInvalid},
		{"a site moved to another account, found only in the store", true, func(c *catalog.Catalog) {
			c.Accounts = append(c.Accounts, catalog.Account{ID: 2, AccountAttributes: catalog.AccountAttributes{Name: "Other"}})
			c.Sites[1].AccountID = 2
			c.Sites[0].Name = "A change that must not be written either"
		}, catalog.ErrOwnerChanged},
		{"a segment restricting a SKU of another site", false, func(c *catalog.Catalog) {
			c.EcommerceProducts[0].SKUs[0].SegmentIDs = []int64{1}
		}, catalog.ErrInvalid},
		{"a segment moved to another site, found only in the store", true, func(c *catalog.Catalog) {
			c.Segments[1].SiteID = 1232
			c.Segments[1].Rules = []catalog.SegmentRule{{Country: "US"}}
			c.EcommerceProducts[1].SKUs[0].SegmentIDs = nil
		}, catalog.ErrOwnerChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)
			if tt.given {
				importCatalog(ctx, t, store, c)
			}
			before := len(catalogEvents(ctx, t, store, c))

			// When a file with one mistake is imported
			tt.change(&c)
			_, err := commands.ImportCatalog(ctx, store, c, importTime)

			// Then the import fails and no event of it is written
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if after := len(catalogEvents(ctx, t, store, c)); after != before {
				t.Fatalf("%d events before, %d after a failed import", before, after)
			}
		})
	}
}

func TestConcurrentImportsOfOneFileWriteEachEventOnce(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)

	// When two imports of the same file run at once
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = commands.ImportCatalog(ctx, store, c, importTime.Add(time.Duration(i)*time.Second))
		})
	}
	wg.Wait()

	// Then both succeed and every event is there exactly once
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent imports: %v", err)
	}
	if events := catalogEvents(ctx, t, store, c); len(events) != exampleEventCount {
		t.Fatalf("%d events after two concurrent imports, want %d", len(events), exampleEventCount)
	}
	if again := importCatalog(ctx, t, store, c); again[catalog.KindProduct] != (commands.KindCounts{Unchanged: 3}) {
		t.Fatalf("a third import found changes: %+v", again)
	}
}

func TestARerunCompletesAnInterruptedImport(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)

	// Given an import that stopped after writing its first four entities
	crashing := &crashingStore{Store: store}
	crashing.allowed.Store(4)
	if _, err := commands.ImportCatalog(ctx, crashing, c, importTime); !errors.Is(err, errCrashed) {
		t.Fatalf("interrupted import err = %v, want the simulated crash", err)
	}

	// When the same file is imported again
	summary := importCatalog(ctx, t, store, c)

	// Then the catalog is complete, without duplicates, and the re-run created only what was missing
	if events := catalogEvents(ctx, t, store, c); len(events) != exampleEventCount {
		t.Fatalf("%d events after the re-run, want %d", len(events), exampleEventCount)
	}
	if summary[catalog.KindSite] != (commands.KindCounts{Unchanged: 2}) || summary[catalog.KindCoupon] != (commands.KindCounts{Created: 3}) {
		t.Fatalf("re-run summary = %+v", summary)
	}
}

func TestReturningToAnEarlierContentIsWrittenAgain(t *testing.T) {
	t.Parallel()
	ctx, store, c := t.Context(), newStore(t), exampleCatalog(t)
	importCatalog(ctx, t, store, c)

	// When a field changes and then changes back
	original := c.Coupons[0].Name
	c.Coupons[0].Name = "Spring offer"
	importCatalog(ctx, t, store, c)
	c.Coupons[0].Name = original
	importCatalog(ctx, t, store, c)

	// Then both changes are written: the second is not mistaken for a retry of the first import
	events := catalogEvents(ctx, t, store, c)
	last := lastEvent(ctx, t, store, "catalog_coupon-77")
	if len(events) != exampleEventCount+2 || last.Type != "catalog.coupon_changed" ||
		string(last.Data) != `{"coupon_id":77,"site_id":1232,"changes":{"name":"Welcome offer"},"changed_at":"2026-05-01T12:00:00Z"}` {
		t.Fatalf("got %d events, last %s %s", len(events), last.Type, last.Data)
	}
}
