package newsletter

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// history is a log of four entries on two sites: subscriptions, updates, unsubscriptions, a subscription
// again after an unsubscription, an entry erased (its earlier events read without email or details), then
// subscribed again, and redeliveries of earlier events (a no-op either way).
func history() []projections.Event[any] {
	details := func(n int) newsletter.Details {
		return newsletter.Details{FirstName: "Ann", LastName: fmt.Sprint("Lee ", n), PostalCode: "H2X", Source: "web",
			Lists: fmt.Sprint("daily-", n), ConsentURL: "https://x.example", ConsentText: "yes", ConsentType: "explicit", ConsentIP: "203.0.113.7"}
	}
	when := func(n int) time.Time { return time.Date(2025, 3, 1, 9, 0, n, 123456000, time.UTC) }
	ev := func(revision uint64, data any) projections.Event[any] {
		stream := ""
		switch d := data.(type) {
		case newsletter.Subscribed:
			stream = fmt.Sprint("newsletter-", d.SiteID, d.Email)
		case newsletter.Updated:
			stream = fmt.Sprint("newsletter-", d.SiteID, d.Email)
		case newsletter.Unsubscribed:
			stream = fmt.Sprint("newsletter-", d.SiteID, d.Email)
		}
		return projections.Event[any]{Envelope: projections.Envelope{Revision: revision, Stream: stream}, Data: data}
	}
	erased := func(revision uint64, stream string) projections.Event[any] {
		return projections.Event[any]{Envelope: projections.Envelope{Revision: revision, Stream: stream},
			Data: newsletter.Erased{SiteID: 2, ErasedAt: when(20)}}
	}
	shredded := func(e projections.Event[any], stream string) projections.Event[any] {
		e.Stream = stream
		return e
	}
	ann, bob, cid, dee := "ann@example.com", "bob@example.com", "cid@example.com", "dee@example.com"
	events := []projections.Event[any]{
		ev(0, newsletter.Subscribed{SiteID: 1, Email: ann, Details: details(0), SubscribedAt: when(0)}),
		ev(0, newsletter.Subscribed{SiteID: 2, Email: ann, Details: details(1), SubscribedAt: when(1)}),
		ev(1, newsletter.Updated{SiteID: 1, Email: ann, Details: details(2), UpdatedAt: when(2)}),
		ev(0, newsletter.Subscribed{SiteID: 1, Email: bob, Details: details(3), SubscribedAt: when(3)}),
		ev(2, newsletter.Unsubscribed{SiteID: 1, Email: ann, UnsubscribedAt: when(4)}),
		ev(1, newsletter.Updated{SiteID: 1, Email: ann, Details: details(5), UpdatedAt: when(5)}), // older than the row: none
		ev(3, newsletter.Subscribed{SiteID: 1, Email: ann, Details: details(6), SubscribedAt: when(6)}),
		ev(1, newsletter.Updated{SiteID: 1, Email: bob, Details: details(7), UpdatedAt: when(7)}),
		ev(0, newsletter.Subscribed{SiteID: 2, Email: cid, Details: details(8), SubscribedAt: when(8)}),
		ev(1, newsletter.Unsubscribed{SiteID: 2, Email: cid, UnsubscribedAt: when(9)}),
		ev(4, newsletter.Updated{SiteID: 1, Email: ann, Details: details(10), UpdatedAt: when(10)}),
		// dee's entry, live, then erased: its first events already read empty
		ev(0, newsletter.Subscribed{SiteID: 2, Email: dee, Details: details(11), SubscribedAt: when(11)}),
		shredded(ev(1, newsletter.Updated{SiteID: 2, UpdatedAt: when(12)}), "newsletter-2"+dee),
		erased(2, "newsletter-2"+dee),
		shredded(ev(0, newsletter.Subscribed{SiteID: 2, SubscribedAt: when(11)}), "newsletter-2"+dee),
		ev(3, newsletter.Subscribed{SiteID: 2, Email: dee, Details: details(13), SubscribedAt: when(13)}),
	}
	// every event delivered a second time, right after the whole history
	return append(events, events...)
}

// TestBatchMatchesTheApplyFuncs: whatever the batch size, applyBatch leaves the same rows (ids included) and
// the same last id as the apply funcs applying the events one transaction at a time.
func TestBatchMatchesTheApplyFuncs(t *testing.T) {
	t.Parallel()
	events := history()
	// given the rows the running projection's apply funcs leave
	live := projectiontest.ReadModels(t)
	for _, e := range events {
		projectiontest.InTx(t, live, func(ctx context.Context, tx *sqlx.Tx) error { return applyOne(ctx, tx, e) })
	}
	want := snapshot(t, live)
	// (the second delivery of cid's subscription finds no row, so it spends an id; its unsubscription follows;
	// dee's erased subscription spends one at each delivery, as it did before its erasure, and dee's new one
	// spends one)
	if len(want.rows) != 4 || want.lastID != 10 {
		t.Fatalf("the apply funcs left %+v, want 4 rows and 10 ids spent", want)
	}
	// (copying new rows from the first on puts COPY through every case the upsert goes through; a rebuild's
	// batches, which probe only the keys they stored before, start from empty tables as here)
	for _, rebuild := range []bool{false, true} {
		for _, c := range []struct {
			size, copyAtLeast int
		}{{1, projections.MinRowsToCopy}, {2, projections.MinRowsToCopy}, {3, projections.MinRowsToCopy}, {7, projections.MinRowsToCopy}, {len(events), projections.MinRowsToCopy},
			{1, 1}, {2, 1}, {3, 1}, {7, 1}, {len(events), 1}} {
			t.Run(fmt.Sprintf("rebuild %v, %d events per batch, COPY from %d new rows", rebuild, c.size, c.copyAtLeast), func(t *testing.T) {
				t.Parallel()
				assertBatchesLeave(t, events, want, c.size, batchFunc(rebuild, c.copyAtLeast))
			})
		}
	}
}

// batchFunc is a rebuild's batch (one per rebuild) or the running projection's.
func batchFunc(rebuild bool, copyAtLeast int) projections.BatchFunc {
	if rebuild {
		return newRebuildBatch(copyAtLeast)
	}
	return projections.FoldBatch(func() projections.Folder { return newBatch(copyAtLeast) })
}

// assertBatchesLeave applies events to empty tables size at a time through apply and checks the tables hold want.
func assertBatchesLeave(t *testing.T, events []projections.Event[any], want tables, size int, apply projections.BatchFunc) {
	t.Helper()
	db := projectiontest.ReadModels(t)
	// when the same events are applied in batches
	for start := 0; start < len(events); start += size {
		batch := events[start:min(start+size, len(events))]
		projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return apply(ctx, tx, batch) })
	}
	// then the tables are the same
	if got := snapshot(t, db); !reflect.DeepEqual(got, want) {
		t.Fatalf("batched: %+v\nwant one by one: %+v", got, want)
	}
}

// applyOne applies e through the apply func of its type, as the projection's handlers do.
func applyOne(ctx context.Context, tx *sqlx.Tx, e projections.Event[any]) error {
	switch d := e.Data.(type) {
	case newsletter.Subscribed:
		return applySubscribed(ctx, tx, projections.Event[newsletter.Subscribed]{Envelope: e.Envelope, Data: d})
	case newsletter.Updated:
		return applyUpdated(ctx, tx, projections.Event[newsletter.Updated]{Envelope: e.Envelope, Data: d})
	case newsletter.Unsubscribed:
		return applyUnsubscribed(ctx, tx, projections.Event[newsletter.Unsubscribed]{Envelope: e.Envelope, Data: d})
	case newsletter.Erased:
		return applyErased(ctx, tx, projections.Event[newsletter.Erased]{Envelope: e.Envelope, Data: d})
	}
	return fmt.Errorf("unexpected event %T", e.Data)
}

type tables struct {
	rows   []entry
	lastID int64
}

// snapshot reads both tables, times in UTC.
func snapshot(t *testing.T, db *sqlx.DB) tables {
	t.Helper()
	var s tables
	if err := db.SelectContext(t.Context(), &s.rows, `SELECT * FROM newsletters ORDER BY site_id, email`); err != nil {
		t.Fatalf("read newsletters: %v", err)
	}
	for i := range s.rows {
		s.rows[i].CreatedAt, s.rows[i].UpdatedAt = s.rows[i].CreatedAt.UTC(), s.rows[i].UpdatedAt.UTC()
	}
	if err := db.GetContext(t.Context(), &s.lastID, `SELECT last_id FROM newsletter_ids`); err != nil {
		t.Fatalf("read the last id: %v", err)
	}
	return s
}
