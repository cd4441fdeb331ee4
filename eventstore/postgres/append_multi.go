package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var _ eventstore.MultiAppender = (*Store)(nil)

// AppendMulti implements eventstore.MultiAppender. Its first attempt is one statement when every part
// expects no stream or an exact revision (appendMultiInOne), shared with the calls made at the same moment
// (appendGroup: one commit for all of them, each still answered alone when theirs does not land);
// otherwise, and whenever that statement writes nothing, the appends run one after another in one
// transaction, in the order of their stream names (the results come back in the caller's order), each
// through the same statements as Append (the fast-path INSERT, else pelcro_append), and commit together.
// The fixed order makes two multi-stream appends over the same streams lock them in the same order, so they
// queue instead of deadlocking; a deadlock or serialization failure that still happens (a writer outside
// this order) counts as a lost race like a unique violation (appendError). An expected revision that does not hold
// rolls the whole transaction back and answers that stream's *WrongExpectedVersionError; a lost race aborts
// the transaction, which is run again as a whole on pelcro_append (retryRaces), so a retry of an
// AppendMulti that landed is recognised stream by stream.
//
// Warning: the visibility fence (fence.go) relies on every appending transaction locking the events table
// before it takes a transaction id. That holds here because every statement of the transaction appends:
// its first write is an INSERT into events. Never let this transaction write anything else first.
func (s *Store) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if err := eventstore.DistinctStreams(appends); err != nil {
		return nil, err
	}
	results, err := retryRaces(func(fastPath bool) ([]eventstore.AppendResult, error) {
		if fastPath {
			results, inserted, err := s.appendMultiInOneGrouped(ctx, appends)
			if inserted || err != nil {
				return results, err
			}
			fastPath = false // a guard did not hold: pelcro_append tells a retry from a wrong revision
		}
		return s.appendMultiOnce(ctx, appends, fastPath)
	})
	if err == nil && writesEvents(appends) {
		s.committed()
	}
	return results, err
}

// appendMultiOnce is one attempt of AppendMulti: one transaction, committed only when every append held.
func (s *Store) appendMultiOnce(ctx context.Context, appends []eventstore.StreamAppend, fastPath bool) ([]eventstore.AppendResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: begin a multi-stream append: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	inTx := func(ctx context.Context, query string) (*sql.Stmt, error) {
		stmt, err := s.stmts.get(ctx, query)
		if err != nil {
			return nil, err
		}
		return tx.StmtContext(ctx, stmt), nil
	}
	results := make([]eventstore.AppendResult, len(appends))
	for _, i := range byStreamName(appends) {
		a := appends[i]
		if results[i], err = appendWith(ctx, inTx, a.Stream, a.Expected, a.Events, fastPath); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("eventstore/postgres: commit a multi-stream append: %w", err)
	}
	return results, nil
}

// byStreamName is the indexes of appends in the order of their stream names: the order in which every
// multi-stream append takes its streams' row locks.
//
// Warning: appending in the caller's order instead lets two renewals naming the same streams in opposite
// orders deadlock (each holding one stream's new revision and waiting on the other's).
func byStreamName(appends []eventstore.StreamAppend) []int {
	order := make([]int, len(appends))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(appends[a].Stream, appends[b].Stream) })
	return order
}

// writesEvents reports whether any append carries events (one that only checks its expected revision
// writes nothing that subscriptions should be woken for).
func writesEvents(appends []eventstore.StreamAppend) bool {
	for _, a := range appends {
		if len(a.Events) > 0 {
			return true
		}
	}
	return false
}
