package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// endQuery returns, from one snapshot, that snapshot and the last position under its fence. A subscription
// from AllEnd starts after that position and ignores rows visible in that snapshot: rows above the fence
// may be old (committed, held back by an older open transaction) or new (still uncommitted), and only the
// snapshot tells them apart.
const endQuery = `SELECT pg_current_snapshot()::text, coalesce(h.tx_id, '0'::xid8), coalesce(h.seq, 0)
FROM (SELECT) AS one LEFT JOIN LATERAL (
    SELECT tx_id, seq FROM events WHERE ` + fence + ` ORDER BY tx_id DESC, seq DESC LIMIT 1
) h ON true`

// committedHeadQuery returns the position of the last committed row, fenced or not.
const committedHeadQuery = `SELECT tx_id, seq FROM events ORDER BY tx_id DESC, seq DESC LIMIT 1`

// heldBackQuery tells whether committed rows wait above the fence because an older transaction is still
// open. A subscription then looks again soon instead of waiting for a notification that may never come:
// the open transaction may not be an append at all.
const heldBackQuery = `SELECT EXISTS (SELECT 1 FROM events WHERE NOT (` + fence + `))`

// fencePassedQuery tells whether the fence has passed every row of the transaction $1.
const fencePassedQuery = `SELECT $1::xid8 < pg_snapshot_xmin(pg_current_snapshot())`

// Polling pace of waitForFence: open transactions usually end within milliseconds.
const (
	firstFenceWait = time.Millisecond
	maxFenceWait   = 50 * time.Millisecond
)

// endOfLog returns where a subscription from AllEnd starts and the snapshot whose rows it must not deliver.
func (s *Store) endOfLog(ctx context.Context) (after eventstore.Position, snapshot string, err error) {
	err = s.db.QueryRowContext(ctx, endQuery).Scan(&snapshot, &after.Commit, &after.Prepare)
	return after, snapshot, err
}

// committedHead returns the position of the last committed event, or the zero position for an empty log.
func (s *Store) committedHead(ctx context.Context) (eventstore.Position, error) {
	var p eventstore.Position
	err := s.db.QueryRowContext(ctx, committedHeadQuery).Scan(&p.Commit, &p.Prepare)
	if errors.Is(err, sql.ErrNoRows) {
		return eventstore.Position{}, nil
	}
	return p, err
}

// waitForFence returns once the fence has passed position p, or when ctx ends.
func (s *Store) waitForFence(ctx context.Context, p eventstore.Position) error {
	stmt, err := s.stmts.get(ctx, fencePassedQuery)
	if err != nil {
		return err
	}
	txID, _ := positionArgs(p)
	for wait := time.Duration(0); ; {
		var passed bool
		if err := stmt.QueryRowContext(ctx, txID).Scan(&passed); err != nil || passed {
			return err
		}
		wait = grow(wait, firstFenceWait, maxFenceWait)
		sleep(ctx, wait)
	}
}

// heldBack reports whether committed events wait behind the fence.
func (s *Store) heldBack(ctx context.Context) (bool, error) {
	var held bool
	err := s.db.QueryRowContext(ctx, heldBackQuery).Scan(&held)
	return held, err
}
