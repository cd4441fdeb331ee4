package operator_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
)

func TestVerifyFindsNoDriftInReadModelsTheLogExplains(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	for _, p := range readModels() {
		v, err := operator.Verify(t.Context(), w.config(), p)
		if err != nil {
			t.Fatal(err)
		}
		if v.Drifted() || len(v.Tables) != len(p.Tables) || v.Position == "" {
			t.Errorf("%s: %+v, want every table matching", p.Name, v)
		}
	}
	assertNoScratchSchemas(t, w)
}

func TestVerifyComparesAtTheLiveCheckpointWhileTheLogIsAhead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()
	// Given an event the running projection has not applied yet
	w.append("customer-7", "customer:7", "req-9", customer.ProfileChanged{CustomerID: annID,
		Profile: customer.Profile{FirstName: "Hannah"}})

	// Then the recomputed tables stop at the live checkpoint too, and nothing drifted
	v, err := operator.Verify(t.Context(), w.config(), customerprojection.Projection())
	if err != nil {
		t.Fatal(err)
	}
	if v.Drifted() {
		t.Errorf("verify = %+v, want no drift", v)
	}
}

func TestVerifyNamesTheRowsOfATableCorruptedOnPurpose(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()
	if _, err := w.db.ExecContext(t.Context(), `UPDATE customers SET first_name = 'Mallory' WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(t.Context(), `DELETE FROM customers WHERE id = 8`); err != nil {
		t.Fatal(err)
	}

	v, err := operator.Verify(t.Context(), w.config(), customerprojection.Projection())
	if err != nil {
		t.Fatal(err)
	}
	if !v.Drifted() {
		t.Fatalf("verify = %+v, want drift", v)
	}
	customers := v.Tables[0]
	if customers.Live.Table != "customers" || customers.Live.Rows != 1 || customers.Rebuilt.Rows != 2 {
		t.Errorf("customers: live %+v, rebuilt %+v", customers.Live, customers.Rebuilt)
	}
	if len(customers.OnlyLive) != 1 || !strings.Contains(customers.OnlyLive[0], "Mallory") {
		t.Errorf("only live = %v, want the corrupted row", customers.OnlyLive)
	}
	if len(customers.OnlyRebuilt) != 2 || !strings.Contains(strings.Join(customers.OnlyRebuilt, "\n"), "Anna") {
		t.Errorf("only rebuilt = %v, want Anna's true row and the deleted one", customers.OnlyRebuilt)
	}
	if v.Tables[1].Drifted() {
		t.Errorf("addresses drifted: %+v", v.Tables[1])
	}
	assertNoScratchSchemas(t, w)
}

func TestVerifyRefusesAProjectionThatNeverRan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.append("customer-1", "", "", customer.Registered{CustomerID: 1, SiteID: 1, Email: "x@example.com"})
	if _, err := operator.Verify(t.Context(), w.config(), customerprojection.Projection()); err == nil ||
		!strings.Contains(err.Error(), "never ran") {
		t.Errorf("err = %v, want never ran", err)
	}
}

func TestReplayIntoAFreshDatabaseGivesTheDigestsOfTheLiveReadModels(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()
	fresh, err := pg.Open(t.Context(), migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fresh.Close() })
	into := projections.Config{Store: w.store, DB: fresh, Registry: w.op.Registry}

	all, err := operator.Replay(t.Context(), into, readModels())
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range readModels() {
		replayed := all[i]
		live, err := operator.Digests(t.Context(), w.config(), p)
		if err != nil {
			t.Fatal(err)
		}
		if replayed.Projection != p.Name || !slices.Equal(replayed.Tables, live) {
			t.Errorf("%s: replayed %s %+v, live %+v", p.Name, replayed.Projection, replayed.Tables, live)
		}
		if p.Name == customerprojection.Name && replayed.Tables[0].Rows != 2 {
			t.Errorf("customers replayed: %+v, want 2 rows", replayed.Tables[0])
		}
	}
}

func assertNoScratchSchemas(t *testing.T, w *world) {
	t.Helper()
	var n int
	if err := w.db.GetContext(context.Background(), &n, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'verify\_%'`); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d scratch schemas left behind", n)
	}
}
