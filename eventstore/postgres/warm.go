package postgres

import (
	"context"
	"database/sql"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// hotQueries are the statements every append and every subscription runs: Warm prepares them on each
// connection it opens.
var hotQueries = []string{insertOneAfterQuery, insertAfterQuery, appendFenceQuery, pageQuery, readForwardsQuery,
	readBackwardsQuery, streamExistsQuery}

// Warm opens n connections of the Store's pool ahead of load (see pg.Warm) and prepares the hot statements on
// each, so the first burst of appends and reads finds them ready instead of opening and preparing
// connections while it queues. Call it once at start, before the Store carries load.
func (s *Store) Warm(ctx context.Context, n int) error {
	// The Store's statements are made first: making one takes a connection of the pool, and while warming
	// the pool may have none free.
	stmts := make([]*sql.Stmt, len(hotQueries))
	for i, query := range hotQueries {
		stmt, err := s.stmts.get(ctx, query)
		if err != nil {
			return err
		}
		stmts[i] = stmt
	}
	return pg.Warm(ctx, s.db.DB, n, func(ctx context.Context, conn *sql.Conn) error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		for _, stmt := range stmts {
			// A statement taken into a transaction is prepared on its connection and kept there for the
			// Store's statement, which finds it when it runs on that connection later.
			if err := tx.StmtContext(ctx, stmt).Close(); err != nil {
				return err
			}
		}
		return nil
	})
}
