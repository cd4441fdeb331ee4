package customerstreams

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// logEntry is one event of a test's log: its stream and payload.
type logEntry struct {
	stream string
	data   any
}

// history is a log that exercises every rule of the index: a newsletter entry before its customer and one
// after, another site's entry, a second customer with the same email who is erased, an entry erased and
// subscribed again with another email, and events that only move positions.
var history = []logEntry{
	{"newsletter-n1", newsletter.Subscribed{SiteID: 3, Email: "ann@example.com"}},
	{"newsletter-n2", newsletter.Subscribed{SiteID: 4, Email: "ann@example.com"}},
	{"customer-7", customer.Registered{CustomerID: 7, SiteID: 3, Email: "Ann@Example.com"}},
	{"customer-8", customer.Registered{CustomerID: 8, SiteID: 3, Email: "ann@example.com"}},
	{"customer_signins-7", customer.LoggedIn{CustomerID: 7, SiteID: 3}},
	{"wallet-7", wallet.PaymentMethodSaved{CustomerID: 7}},
	{"invoice-20", invoice.Created{InvoiceID: 20, CustomerID: 7}},
	{"invoice-20", invoice.Paid{InvoiceID: 20, CustomerID: 7}},
	{"customer-8", customer.Erased{CustomerID: 8}},
	{"customer-7", customer.EmailChanged{CustomerID: 7, Email: "new@example.com"}},
	{"newsletter-n3", newsletter.Subscribed{SiteID: 3, Email: "NEW@example.com"}},
	{"newsletter-n1", newsletter.Erased{SiteID: 3}},
	{"newsletter-n1", newsletter.Subscribed{SiteID: 3, Email: "other@example.com"}},
	{"customer-9", customer.Registered{CustomerID: 9, SiteID: 3, Email: "other@example.com"}},
	{"customer_signins-7", customer.LoggedIn{CustomerID: 7, SiteID: 3}},
}

// TestBatchLeavesTheTablesTheHandlersLeave applies the history through the handlers one event at a time, and
// through applyBatch cut at every place into two batches, and compares every table.
func TestBatchLeavesTheTablesTheHandlersLeave(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(customer.Events, wallet.Events, invoice.Events, newsletter.Events,
		subscription.Events)
	if err != nil {
		t.Fatal(err)
	}
	want, decoded := byTheHandlers(t, registry, history)
	if !strings.Contains(want, "(7,newsletter-n3)") || strings.Contains(want, "(7,newsletter-n2)") {
		t.Fatalf("the handlers' tables miss a rule:\n%s", want)
	}
	for cut := 0; cut <= len(decoded); cut++ {
		db := projectiontest.ReadModels(t)
		for _, part := range [][]projections.Event[any]{decoded[:cut], decoded[cut:]} {
			projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, part) })
		}
		if got := tables(t, db); got != want {
			t.Errorf("batches cut at %d:\n%s\nwant\n%s", cut, got, want)
		}
	}
}

// byTheHandlers applies log through the handlers one event at a time and returns the tables they leave,
// and the log as a batch receives it.
func byTheHandlers(t *testing.T, registry *aggregates.Registry, log []logEntry) (string, []projections.Event[any]) {
	t.Helper()
	recorded, decoded := historyEvents(t, registry, log)
	fold, err := projections.NewFold(registry, Projection())
	if err != nil {
		t.Fatal(err)
	}
	db := projectiontest.ReadModels(t)
	for _, ev := range recorded {
		projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return fold.Apply(ctx, tx, ev) })
	}
	return tables(t, db), decoded
}

// historyEvents is a log as the store records it and as a batch receives it, at positions 1, 2, ….
func historyEvents(t *testing.T, registry *aggregates.Registry, history []logEntry) ([]eventstore.RecordedEvent, []projections.Event[any]) {
	t.Helper()
	revisions := map[string]uint64{}
	var recorded []eventstore.RecordedEvent
	var decoded []projections.Event[any]
	for i, h := range history {
		enc, err := registry.Encode(h.data)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := json.Marshal(aggregates.Metadata{SchemaVersion: enc.SchemaVersion})
		pos := eventstore.Position{Commit: uint64(i + 1), Prepare: 1}
		recorded = append(recorded, eventstore.RecordedEvent{StreamID: h.stream, Revision: revisions[h.stream],
			Position: pos, Type: enc.Name, Data: enc.Data, Metadata: md})
		decoded = append(decoded, projections.Event[any]{Envelope: projections.Envelope{Stream: h.stream,
			Revision: revisions[h.stream], Position: pos, Type: enc.Name}, Data: h.data})
		revisions[h.stream]++
	}
	return recorded, decoded
}

// tables is every row of the index's tables, as text in a stable order.
func tables(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var out strings.Builder
	for _, table := range Projection().Tables {
		var rows []string
		if err := db.Select(&rows, `SELECT t::text FROM `+table+` t ORDER BY 1`); err != nil {
			t.Fatal(err)
		}
		out.WriteString(table + ": " + strings.Join(rows, " ") + "\n")
	}
	return out.String()
}
