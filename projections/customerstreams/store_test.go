package customerstreams

import (
	"context"
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// manyEntries is a log with more new streams than a batch needs to COPY them: entries subscribed (each
// stream's revision 0) then updated, a customer whose email matches some of them, an entry erased and
// subscribed again with another email, and a last run of updates only (no stream starts in it).
func manyEntries() []logEntry {
	const entries = 2*projections.MinRowsToCopy + 10
	var log []logEntry
	entry := func(i int) string { return fmt.Sprintf("newsletter-e%d", i) }
	email := func(i int) string { return fmt.Sprintf("reader%d@example.com", i%(entries/2)) }
	for i := range entries {
		log = append(log, logEntry{entry(i), newsletter.Subscribed{SiteID: int64(3 + i%2), Email: email(i)}})
	}
	log = append(log, logEntry{"customer-7", customer.Registered{CustomerID: 7, SiteID: 3, Email: email(4)}},
		logEntry{entry(6), newsletter.Erased{SiteID: 3}},
		logEntry{entry(6), newsletter.Subscribed{SiteID: 3, Email: "Other@example.com"}})
	for i := range entries {
		log = append(log, logEntry{entry(i), newsletter.Updated{SiteID: int64(3 + i%2), Email: email(i)}})
	}
	return log
}

// TestBatchesThatCopyNewStreamsLeaveTheTablesTheHandlersLeave applies manyEntries through the handlers one
// event at a time, then through applyBatch cut in two at places where the first batch starts enough
// streams to COPY them (or too few), and the second holds streams the first already wrote (their
// positions and emails must go through the conflict-checked statements, or the batch fails on the key).
func TestBatchesThatCopyNewStreamsLeaveTheTablesTheHandlersLeave(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(customer.Events, newsletter.Events)
	if err != nil {
		t.Fatal(err)
	}
	log := manyEntries()
	want, decoded := byTheHandlers(t, registry, log)
	for _, c := range []struct {
		name string
		cut  int
	}{
		{"one batch", len(log)},
		{"too few new streams to copy, then the rest", projections.MinRowsToCopy - 1},
		{"just enough new streams to copy, then the rest", projections.MinRowsToCopy},
		{"every subscription, then the erasure and the updates", len(log) - len(log)/2 + 1},
		{"half of the updates in each", len(log) - len(log)/4},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := projectiontest.ReadModels(t)
			for _, part := range [][]projections.Event[any]{decoded[:c.cut], decoded[c.cut:]} {
				projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, part) })
			}
			if got := tables(t, db); got != want {
				t.Errorf("batches cut at %d:\n%s\nwant\n%s", c.cut, got, want)
			}
		})
	}
}
