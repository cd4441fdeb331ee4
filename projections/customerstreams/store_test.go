package customerstreams

import (
	"context"
	"fmt"
	"maps"
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
// subscribed again with another email, and a last run of updates only (no stream starts in it). Its size is
// fixed, not MinRowsToCopy's: raised above it, the tests that COPY fail instead of growing with it.
func manyEntries() []logEntry {
	const entries = 138 // 2×64 + 10: two batches' worth of new streams, and some
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
// positions and emails must go through the conflict-checked statements, or the batch fails on the key). It
// counts the COPYs into each table, so it fails when MinRowsToCopy is above the batches' new rows.
func TestBatchesThatCopyNewStreamsLeaveTheTablesTheHandlersLeave(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(customer.Events, newsletter.Events)
	if err != nil {
		t.Fatal(err)
	}
	log := manyEntries()
	if started := len(log) / 2; projections.MinRowsToCopy > started/2 {
		t.Fatalf("manyEntries starts %d streams, too few for two batches to COPY at MinRowsToCopy %d", started, projections.MinRowsToCopy)
	}
	want, decoded := byTheHandlers(t, registry, log)
	for _, c := range []struct {
		name   string
		cut    int
		copies int // into each of the two tables
	}{
		{"one batch", len(log), 1},
		{"too few new streams to copy, then the rest", projections.MinRowsToCopy - 1, 1},
		{"just enough new streams to copy, then the rest", projections.MinRowsToCopy, 2},
		{"every subscription, then the erasure and the updates", len(log) - len(log)/2 + 1, 1},
		{"half of the updates in each", len(log) - len(log)/4, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a fresh index that logs its statements
			db := projectiontest.ReadModels(t)
			logStatements(t, db)
			// when the log is applied in two batches
			for _, part := range [][]projections.Event[any]{decoded[:c.cut], decoded[c.cut:]} {
				projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, part) })
			}
			// then the tables are the handlers' and the new streams' rows went in by COPY
			if got := tables(t, db); got != want {
				t.Errorf("batches cut at %d:\n%s\nwant\n%s", c.cut, got, want)
			}
			wantCopies := map[string]int{"customer_stream_positions": c.copies, "newsletter_stream_emails": c.copies}
			if got := copies(t, db); !maps.Equal(got, wantCopies) {
				t.Errorf("batches cut at %d: COPYs %v, want %v", c.cut, got, wantCopies)
			}
		})
	}
}

// logStatements makes db record the text of every statement that inserts into the two tables a batch may
// COPY into (a statement-level trigger reading current_query(), which fires for COPY too), for copies.
func logStatements(t *testing.T, db *sqlx.DB) {
	t.Helper()
	if _, err := db.Exec(`CREATE TABLE test_statements (table_name text NOT NULL, query text NOT NULL);
		CREATE FUNCTION test_log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO test_statements VALUES (TG_TABLE_NAME, current_query()); RETURN NULL; END $$;
		CREATE TRIGGER test_log AFTER INSERT ON customer_stream_positions FOR EACH STATEMENT EXECUTE FUNCTION test_log_statement();
		CREATE TRIGGER test_log AFTER INSERT ON newsletter_stream_emails FOR EACH STATEMENT EXECUTE FUNCTION test_log_statement();`); err != nil {
		t.Fatal(err)
	}
}

// copies counts the committed COPY statements logStatements recorded, by table.
func copies(t *testing.T, db *sqlx.DB) map[string]int {
	t.Helper()
	var rows []struct {
		Table string `db:"table_name"`
		N     int    `db:"n"`
	}
	if err := db.Select(&rows, `SELECT table_name, count(*) AS n FROM test_statements
		WHERE query ILIKE 'COPY%' GROUP BY table_name`); err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, r := range rows {
		n[r.Table] = r.N
	}
	return n
}
