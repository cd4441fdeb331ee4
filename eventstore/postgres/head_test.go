package postgres

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestHeldBackQueryTellsRowsAtOrAboveTheFence(t *testing.T) {
	t.Parallel()
	// Given a log whose last append committed in transaction last
	store, ctx := newTestStore(t)
	var empty bool
	if err := store.db.QueryRowContext(ctx, unreadAboveQuery, "1").Scan(&empty); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, ctx, store, "held-1", eventstore.NoStream(), newEvents(2)...)
	last := mustAppend(t, ctx, store, "held-2", eventstore.NoStream(), newEvents(1)...).Position.Commit
	tests := []struct {
		name  string
		fence uint64
		want  bool
	}{
		{"fence below the last transaction", last - 1, true},
		{"fence at the last transaction", last, true},
		{"fence above every transaction", last + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// When asked with the fence
			var held bool
			if err := store.db.QueryRowContext(ctx, unreadAboveQuery, strconv.FormatUint(tt.fence, 10)).Scan(&held); err != nil {
				t.Fatal(err)
			}
			// Then rows count as held back exactly when one sits at or above it
			if held != tt.want {
				t.Errorf("held back below %d = %v, want %v (last transaction %d)", tt.fence, held, tt.want, last)
			}
		})
	}
	if empty {
		t.Error("an empty log reads as held back")
	}
}

func TestHeldBackQueryGenericPlanReadsOneIndexEntry(t *testing.T) {
	t.Parallel()
	// Given a log of many rows, analysed, and a connection that plans prepared statements once for any
	// argument (as PostgreSQL does for a statement our pools prepared and ran five times)
	store, ctx := newTestStore(t)
	for i := range 20 {
		mustAppend(t, ctx, store, "plan-"+strconv.Itoa(i), eventstore.NoStream(), newEvents(100)...)
	}
	conn, err := store.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, statement := range []string{`ANALYZE events`, `SET plan_cache_mode = force_generic_plan`,
		`PREPARE held_back AS ` + unreadAboveQuery} {
		if _, err := conn.ExecContext(ctx, statement); err != nil {
			t.Fatalf("%s: %v", statement, err)
		}
	}
	// When the check is planned
	rows, err := conn.QueryContext(ctx, `EXPLAIN EXECUTE held_back('1')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Then it walks the primary key backwards instead of scanning the table
	text := strings.Join(plan, "\n")
	if strings.Contains(text, "Seq Scan") || !strings.Contains(text, "Index Only Scan Backward") {
		t.Errorf("generic plan of the held-back check:\n%s", text)
	}
}

func TestHeldBackAsksNoFenceOfItsOwn(t *testing.T) {
	t.Parallel()
	// Given a page read below the fence of its time, and an append committed after it
	store, ctx := newTestStore(t)
	mustAppend(t, ctx, store, "held-1", eventstore.NoStream(), newEvents(1)...)
	p, err := store.readPage(ctx, eventstore.Position{}, likePatterns(nil), sql.NullString{})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, ctx, store, "held-2", eventstore.NoStream(), newEvents(1)...)
	rounds := store.fences.started
	// When a subscription at the head asks whether events wait above that page's fence
	held, err := store.unreadAbove(ctx, p.fence)
	if err != nil {
		t.Fatal(err)
	}
	// Then the later append is reported, and no fence query ran for the question
	if !held {
		t.Error("an event committed above the page's fence is not reported")
	}
	if store.fences.started != rounds {
		t.Errorf("the held-back check ran %d fence queries, want none", store.fences.started-rounds)
	}
}
