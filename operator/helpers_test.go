package operator_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	"github.com/pelcro-oss/pelcro-api/projections/customerstreams"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
)

// allEvents merges the registry of every aggregate, the ones the log of `pelcro serve` holds and more.
func allEvents(t testing.TB) *aggregates.Registry {
	t.Helper()
	r, err := aggregates.Merge(operator.AllRegistries...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// world is one test's database (read models and event log in one, as by default) and the operator over it.
type world struct {
	t     *testing.T
	url   string
	db    *sqlx.DB
	store eventstore.Store
	op    *operator.Operator
}

func newWorld(t *testing.T) *world {
	t.Helper()
	url, db := projectiontest.Database(t)
	store, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	op := &operator.Operator{Store: store, DB: db, Registry: allEvents(t), Projections: readModels()}
	return &world{t: t, url: url, db: db, store: store, op: op}
}

// readModels are the rebuildable read models a customer's history reaches.
func readModels() []projections.Projection {
	return []projections.Projection{customerprojection.Projection(), walletprojection.Projection(),
		invoiceprojection.Projection(), newsletterprojection.Projection(), customerstreams.Projection(),
		subscriptionprojection.Projection(), membershipprojection.Projection()}
}

// append writes events at the end of stream as actor did, within one correlation, and returns the position
// of the last.
func (w *world) append(stream, actor, correlation string, events ...any) eventstore.Position {
	w.t.Helper()
	var data []eventstore.EventData
	for _, e := range events {
		enc, err := w.op.Registry.Encode(e)
		if err != nil {
			w.t.Fatal(err)
		}
		md, _ := json.Marshal(aggregates.Metadata{SchemaVersion: enc.SchemaVersion, Actor: actor,
			CorrelationID: correlation, CausationID: "cause-" + correlation, CommandID: uuid.NewString()})
		data = append(data, eventstore.EventData{ID: uuid.New(), Type: enc.Name, Data: enc.Data, Metadata: md})
	}
	res, err := w.store.Append(w.t.Context(), stream, eventstore.Any(), data...)
	if err != nil {
		w.t.Fatal(err)
	}
	return res.Position
}

// project brings every read model up to the log, as the running projections would.
func (w *world) project() {
	w.t.Helper()
	for _, p := range readModels() {
		if _, err := projections.Rebuild(w.t.Context(), w.config(), p); err != nil {
			w.t.Fatalf("project %s: %v", p.Name, err)
		}
	}
}

func (w *world) config() projections.Config {
	return projections.Config{Store: w.store, DB: w.db, Registry: w.op.Registry}
}

// tick waits until the store's clock has surely moved on, and returns an instant between two appends.
func tick(t *testing.T) time.Time {
	t.Helper()
	time.Sleep(20 * time.Millisecond)
	at := time.Now()
	time.Sleep(20 * time.Millisecond)
	return at
}
