package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// auditedID is the customer whose timeline is read; the other customers' ids follow it.
const auditedID = 1

// The audited customer's history: a registration and profile changes in their stream, one sign-in record
// in six of their events, and invoices (created, attempted, paid) for the rest.
const (
	minCustomerEvents = 100
	eventsPerInvoice  = 3
	appendBatch       = 500
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// writeAudited appends n events of the audited customer and returns their streams, sorted.
func writeAudited(ctx context.Context, db *benchenv.Database, registry *aggregates.Registry, n int) ([]string, error) {
	signIns, invoices := n*6/10, n*3/10/eventsPerInvoice
	own := n - signIns - invoices*eventsPerInvoice
	history := map[string][]any{"customer-1": {customer.Registered{CustomerID: auditedID, AccountID: 1, SiteID: 1,
		Email: "audited@example.com", RegisteredAt: epoch}}}
	for i := 1; i < own; i++ {
		history["customer-1"] = append(history["customer-1"], customer.ProfileChanged{CustomerID: auditedID,
			Profile: customer.Profile{FirstName: "Ada " + strconv.Itoa(i)}, ChangedAt: epoch.Add(time.Duration(i) * time.Minute)})
	}
	for i := range signIns {
		history[customer.SignInStreamPrefix+"1"] = append(history[customer.SignInStreamPrefix+"1"],
			customer.LoggedIn{CustomerID: auditedID, SiteID: 1, Method: "password", LoggedInAt: epoch.Add(time.Duration(i) * time.Minute)})
	}
	for k := range invoices {
		id := int64(k + 1)
		at := epoch.Add(time.Duration(k) * time.Hour)
		history["invoice-"+strconv.FormatInt(id, 10)] = []any{
			invoice.Created{InvoiceID: id, CustomerID: auditedID, AccountID: 1, SiteID: 1, Status: invoice.StatusOpen,
				Currency: "usd", Lines: []invoice.Line{{Description: "Issue", UnitAmount: 500, Quantity: 1}},
				Amounts: invoice.Amounts{Subtotal: 500, Total: 500}, BillingReason: invoice.ReasonManual, CreatedAt: at},
			invoice.PaymentAttempted{InvoiceID: id, Attempt: 1, Means: invoice.Means{Gateway: "stripe", SourceID: 1},
				Amount: 500, Currency: "usd", AttemptedAt: at},
			invoice.Paid{InvoiceID: id, CustomerID: auditedID, Attempt: 1, ChargeID: "ch_" + strconv.Itoa(k),
				Gateway: "stripe", Amount: 500, Currency: "usd", PaidAt: at}}
	}
	// The streams are written in the order of their names, so every run has the same newest events: the last
	// invoices', three to a stream, the page's costliest case (it reads about seventeen streams). In map order
	// a run could instead find the whole first page in one stream, and two runs did not compare.
	streams := slices.Sorted(maps.Keys(history))
	for _, stream := range streams {
		for chunk := range slices.Chunk(history[stream], appendBatch) {
			if err := appendAll(ctx, db, registry, stream, "customer:1", chunk); err != nil {
				return nil, err
			}
		}
	}
	return streams, nil
}

// writeOthers appends n events of other customers (a registration and nine profile changes each) from
// `writers` goroutines.
func writeOthers(ctx context.Context, db *benchenv.Database, registry *aggregates.Registry, n, writers int) error {
	const perCustomer = 10
	customers := int64(n / perCustomer)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range writers {
		g.Go(func() error {
			for k := next.Add(1); k <= customers; k = next.Add(1) {
				id := auditedID + k
				events := []any{customer.Registered{CustomerID: id, AccountID: 1, SiteID: 1,
					Email: fmt.Sprintf("other%d@example.com", id), RegisteredAt: epoch}}
				for i := 1; i < perCustomer; i++ {
					events = append(events, customer.ProfileChanged{CustomerID: id,
						Profile: customer.Profile{LastName: strconv.Itoa(i)}, ChangedAt: epoch.Add(time.Duration(i) * time.Minute)})
				}
				if err := appendAll(ctx, db, registry, "customer-"+strconv.FormatInt(id, 10), "customer:"+strconv.FormatInt(id, 10), events); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// appendAll appends events at the end of stream with the metadata the command pipeline writes.
func appendAll(ctx context.Context, db *benchenv.Database, registry *aggregates.Registry, stream, actor string, events []any) error {
	data := make([]eventstore.EventData, len(events))
	for i, e := range events {
		encoded, err := registry.Encode(e)
		if err != nil {
			return err
		}
		commandID := uuid.NewString()
		metadata, err := json.Marshal(aggregates.Metadata{SchemaVersion: encoded.SchemaVersion, CommandID: commandID,
			CorrelationID: commandID, SiteID: "1", Actor: actor})
		if err != nil {
			return err
		}
		data[i] = eventstore.EventData{ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: metadata}
	}
	if _, err := db.Store.Append(ctx, stream, eventstore.Any(), data...); err != nil {
		return fmt.Errorf("append %s: %w", stream, err)
	}
	return nil
}
