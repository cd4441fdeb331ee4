package postgres

import (
	"context"
	"strconv"
	"time"
)

// appendFenceQuery returns the visibility fence of $all reads: the lowest transaction id that may still add
// events. Every row below it is final (committed, or rolled back and gone), so a reader that reads only
// below the fence can never be passed by a transaction that commits late (sequence values become visible
// in commit order, not in the order they were taken; docs/architecture.md, invariants).
//
// Only transactions that append count. The statement's snapshot lists every transaction in flight in the
// cluster (pg_snapshot_xip); of those, the appenders are the ones holding a lock on this database's events
// table (INSERT takes RowExclusiveLock and keeps it to the end of the transaction), and a transaction's id is
// the transactionid lock it holds itself. The fence is the lowest id that is an appender's or whose owner
// cannot be told (below), or the snapshot's xmax (the next id to be handed out) when there is none. An open
// transaction of any other kind — in another database, or a projection writing read models here — no longer
// holds delivery back.
//
// Why it is safe, in order: the snapshot is taken when the statement starts, the lock table is read after
// it. An appender that got its id before the snapshot and still holds the events lock is seen. One that
// finished before the locks were read has committed (a transaction releases its locks only after its commit
// is visible), so the next statement, which reads below the fence with a snapshot of its own, sees its rows.
// One that gets its id after the snapshot has an id at or above xmax, hence at or above the fence.
//
// An id can be in flight without its transactionid lock: PostgreSQL publishes a new id to snapshots a moment
// before it takes that lock. An appender caught in that moment is about to insert below the fence its
// snapshot shows; a fence above it would let a reader pass the position and skip the row for good (it
// happened under load: a committed event never reached its read model). So an id in flight with no
// transactionid lock counts as an appender while pg_xact_status still calls it in progress; one that ended
// in between (its lock already released) is final and does not count. Either way, the next query sees the
// lock and tells again.
//
// Warning: this holds only because an appending transaction locks the events table before it gets a
// transaction id, which is true when the INSERT into events is its first write — every append of this Store
// is a statement of its own, or one of the appends of AppendMulti's transaction, which writes nothing else. A
// transaction that writes elsewhere first and then appends, in the same
// transaction, could commit an event below a fence a reader has already passed: never append that way. The
// read below the fence must be a separate statement, run after this one (its snapshot must be younger than
// the lock table read here).
const appendFenceQuery = `WITH locks AS MATERIALIZED (
    SELECT locktype, database, relation, transactionid, virtualtransaction, mode, granted FROM pg_locks
), appenders AS (
    SELECT virtualtransaction FROM locks
     WHERE locktype = 'relation' AND relation = 'events'::regclass
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND mode = 'RowExclusiveLock'
), owned AS (
    SELECT transactionid, virtualtransaction FROM locks
     WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted
)
SELECT coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE x::xid IN (SELECT o.transactionid FROM owned o JOIN appenders a USING (virtualtransaction))
         OR (x::xid NOT IN (SELECT transactionid FROM owned) AND pg_xact_status(x) = 'in progress')),
    pg_snapshot_xmax(pg_current_snapshot()))::text`

// appendFence returns the current fence (see appendFenceQuery) as the text of an xid8, the form the $all
// queries take it in. Rows with a transaction id below it are final. Readers that ask at the same time share
// one query (see sharedFence): every subscription of the Store wakes at each append.
func (s *Store) appendFence(ctx context.Context) (string, error) {
	return s.fences.get(ctx, s.queryFence)
}

// fenceTimeout bounds one shared fence query, which runs for every reader waiting on it, not for one caller.
const fenceTimeout = 10 * time.Second

// queryFence runs appendFenceQuery.
func (s *Store) queryFence() (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx, fenceTimeout)
	defer cancel()
	stmt, err := s.stmts.get(ctx, appendFenceQuery)
	if err != nil {
		return "", err
	}
	var fence string
	if err := stmt.QueryRowContext(ctx).Scan(&fence); err != nil {
		return "", err
	}
	return fence, nil
}

// fencePassed reports whether the fence is above the transaction of position commit, i.e. every event that
// transaction wrote is final and readable.
func (s *Store) fencePassed(ctx context.Context, commit uint64) (bool, error) {
	fence, err := s.appendFence(ctx)
	if err != nil {
		return false, err
	}
	f, err := strconv.ParseUint(fence, 10, 64)
	if err != nil {
		return false, err
	}
	return commit < f, nil
}
