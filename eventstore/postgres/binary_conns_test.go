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
	conns := takeBinaryConns(t, ctx, s, maxIdleBinaryConns, true)
	for _, c := range conns {
		s.binary.put(c)
		mustExec(t, s, `SELECT pg_terminate_backend($1)`, c.conn.PID())
	}
	waitForBackendsToEnd(t, ctx, s, conns)

	// when $all is read, then every event comes back
	events, err := s.ReadAll(ctx, eventstore.AllStart(), 10)
	if err != nil || len(events) != 3 {
		t.Fatalf("read %d events, %v; want 3", len(events), err)
	}
}

// takeBinaryConns takes n of the Store's binary connections (new ones when fresh is set).
func takeBinaryConns(t *testing.T, ctx context.Context, s *Store, n int, fresh bool) []*binaryConn {
	t.Helper()
	conns := make([]*binaryConn, n)
	for i := range conns {
		c, err := s.binary.get(ctx, fresh)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	return conns
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

// TestBinaryConnectionsStayWithinTheirCapAndSurviveACancelledRead: at most maxBinaryConns are in use at once
// (the pool's size does not count them), and a read whose context ended before it started leaves its
// healthy connection for the next read.
func TestBinaryConnectionsStayWithinTheirCapAndSurviveACancelledRead(t *testing.T) {
	t.Parallel()
	// given every binary connection the Store allows in use
	s, ctx := newTestStore(t)
	inUse := takeBinaryConns(t, ctx, s, maxBinaryConns, false)
	// when one more is asked for, then it waits
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if c, err := s.binary.get(short, false); err == nil {
		t.Fatalf("got connection %d beyond the cap of %d", c.conn.PID(), maxBinaryConns)
	}
	// when a read is started on one with a context that has ended, and the connections are given back
	done, cancelDone := context.WithCancel(ctx)
	cancelDone()
	_, _ = inUse[0].conn.ExecStatement(done, inUse[0].readAll, [][]byte{[]byte("0"), []byte("0"), []byte("1"), []byte("0")}, nil, binaryResults).Close()
	for _, c := range inUse {
		s.binary.put(c)
	}
	// then the connection of the cancelled read is kept, and the next get is served
	if inUse[0].conn.IsClosed() {
		t.Fatal("a read cancelled before it started closed its connection")
	}
	c, err := s.binary.get(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	s.binary.put(c)
}
