package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestBinaryReadAllGetsAFreshConnectionAfterTheServerEndedTheIdleOnes: after a restart or failover every
// idle binary connection is dead; a read must end on a new connection, as database/sql's reads do.
func TestBinaryReadAllGetsAFreshConnectionAfterTheServerEndedTheIdleOnes(t *testing.T) {
	t.Parallel()
	// given a log and as many idle binary connections as the Store keeps, all ended by the server
	s, ctx := newTestStore(t)
	mustAppend(t, ctx, s, "customer-1", eventstore.NoStream(), newEvents(3)...)
	conns := make([]*binaryConn, maxIdleBinaryConns)
	for i := range conns {
		c, err := s.binary.get(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	for _, c := range conns {
		s.binary.put(c, nil)
		mustExec(t, s, `SELECT pg_terminate_backend($1)`, c.conn.PID())
	}
	waitForBackendsToEnd(t, ctx, s, conns)

	// when $all is read, then every event comes back
	events, err := s.ReadAll(ctx, eventstore.AllStart(), 10)
	if err != nil || len(events) != 3 {
		t.Fatalf("read %d events, %v; want 3", len(events), err)
	}
}

// waitForBackendsToEnd waits until the server no longer lists the connections' backends.
func waitForBackendsToEnd(t *testing.T, ctx context.Context, s *Store, conns []*binaryConn) {
	t.Helper()
	for _, c := range conns {
		for {
			var alive bool
			if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, c.conn.PID()).Scan(&alive); err != nil {
				t.Fatal(err)
			}
			if !alive {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// TestCloseClosesTheBinaryConnections: the Store's binary connections end with it, and no read opens one
// afterwards.
func TestCloseClosesTheBinaryConnections(t *testing.T) {
	t.Parallel()
	// given a Store that has read $all through a binary connection
	s, ctx := newTestStore(t)
	if _, err := s.ReadAll(ctx, eventstore.AllStart(), 10); err != nil {
		t.Fatal(err)
	}
	idle := append([]*binaryConn(nil), s.binary.idle...)
	if len(idle) == 0 {
		t.Fatal("no idle binary connection after a read")
	}
	// when it is closed
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// then its connections are closed and none can be taken
	for _, c := range idle {
		if !c.conn.IsClosed() {
			t.Errorf("connection %d still open after Close", c.conn.PID())
		}
	}
	if c, err := s.binary.get(ctx, false); err == nil {
		t.Errorf("get after Close returned connection %d", c.conn.PID())
	}
}
