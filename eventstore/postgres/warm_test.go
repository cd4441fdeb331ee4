package postgres

import (
	"database/sql"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestWarmOpensThePoolWithTheHotStatementsPrepared(t *testing.T) {
	t.Parallel()
	// Given a fresh Store (keeping its idle connections while the test counts them),
	ctx := t.Context()
	s, err := Open(ctx, pgtest.KeepingIdle(pgtest.NewDatabase(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	// when it is warmed with more connections than its pool may hold (its statements not yet made),
	if err := s.Warm(ctx, 1000); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	// then the pool holds as many open as it may, each with every hot statement prepared,
	idle := s.db.Stats().Idle
	conns, warm := make([]*sql.Conn, idle), 0
	for i := range conns {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = conn
		var prepared int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements`).Scan(&prepared); err != nil {
			t.Fatal(err)
		}
		if prepared >= len(hotQueries) {
			warm++
		}
	}
	if limit := s.db.Stats().MaxOpenConnections; warm != limit {
		t.Fatalf("%d of %d idle connections have the %d hot statements prepared, want all %d the pool may hold", warm, idle, len(hotQueries), limit)
	}
	// and the Store still appends.
	for _, conn := range conns {
		_ = conn.Close()
	}
	mustAppend(t, ctx, s, "warm-1", eventstore.NoStream(), newEvents(1)...)
}
