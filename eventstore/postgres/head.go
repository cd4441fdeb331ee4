package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// endQuery returns a snapshot and the last position below the fence $1 (see appendFenceQuery), read in that
// snapshot. A subscription from AllEnd starts after that position and ignores rows visible in that snapshot:
// rows above the fence may be old (committed, held back by an older append still in flight) or new (still
// uncommitted), and only the snapshot tells them apart.
const endQuery = `SELECT pg_current_snapshot()::text, coalesce(h.tx_id, '0'::xid8), coalesce(h.seq, 0)
FROM (SELECT) AS one LEFT JOIN LATERAL (
    SELECT tx_id, seq FROM events WHERE tx_id < $1::xid8 ORDER BY tx_id DESC, seq DESC LIMIT 1
) h ON true`

// committedHeadQuery returns the position of the last committed row, fenced or not.
const committedHeadQuery = `SELECT tx_id, seq FROM events ORDER BY tx_id DESC, seq DESC LIMIT 1`

// unreadAboveQuery tells whether committed rows sit at or above the fence $1, the fence a subscription's last
// page was read below: rows it has not read, held back then by an append in flight or committed since. A
// subscription then looks again soon instead of waiting only for a notification, which may be lost.
//
// It compares the log's highest transaction id, one step down the primary key whatever $1 is, rather than
// asking EXISTS (… WHERE tx_id >= $1): our pools prepare statements, PostgreSQL soon plans them once for
// any $1, and for that generic plan it guessed a third of the rows match and chose a sequential scan that
// stops at the first match, which sits at the end of the log: every check read the whole table.
const unreadAboveQuery = `SELECT coalesce((SELECT max(tx_id) FROM events) >= $1::xid8, false)`

// Polling pace of waitForFence: appends are single statements and end within milliseconds.
const (
	firstFenceWait = time.Millisecond
	maxFenceWait   = 50 * time.Millisecond
)

// endOfLog returns where a subscription from AllEnd starts and the snapshot whose rows it must not deliver.
func (s *Store) endOfLog(ctx context.Context) (after eventstore.Position, snapshot string, err error) {
	fence, err := s.appendFence(ctx)
	if err != nil {
		return after, "", err
	}
	err = s.db.QueryRowContext(ctx, endQuery, fence).Scan(&snapshot, &after.Commit, &after.Prepare)
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
	for wait := time.Duration(0); ; {
		if passed, err := s.fencePassed(ctx, p.Commit); err != nil || passed {
			return err
		}
		wait = grow(wait, firstFenceWait, maxFenceWait)
		sleep(ctx, wait)
	}
}

// unreadAbove reports whether committed events sit at or above fence, the fence of the subscription's last
// page: events it has not read yet, held back then by an append in flight or committed since. Subscriptions
// that ask with the same fence share one query, as they share pages (see readPage).
//
// It asks no fence of its own: a fresh one would only tell rows still held from rows that became readable
// since, and the subscription reads again soon in both cases. That saved a fence query on every such check.
// Warning: this check is what delivers a late commit of another process whose NOTIFY was lost; it must
// keep answering true for rows held back (TestALateCommitIsDeliveredLongBeforeThePollWhoeverWroteIt).
func (s *Store) unreadAbove(ctx context.Context, fence string) (bool, error) {
	shared := s.pages.DoChan("unread at or above "+fence, func() (any, error) {
		ctx, cancel := context.WithTimeout(s.ctx, fenceTimeout)
		defer cancel()
		var held bool
		err := s.db.QueryRowContext(ctx, unreadAboveQuery, fence).Scan(&held)
		return held, err
	})
	select {
	case r := <-shared:
		held, _ := r.Val.(bool)
		return held, r.Err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}
