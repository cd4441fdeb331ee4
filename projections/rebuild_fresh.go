package projections

import (
	"context"
	"fmt"

	"github.com/lib/pq"
)

// createFreshTables (re)creates the fresh schema with empty copies of the live tables, and the row that
// records how far they are (see recordProgress).
//
// The copies are UNLOGGED while they fill: no WAL for each row and index entry, which was a good part of a
// replay's PostgreSQL time; makeLogged writes each table to the WAL once, whole, before it is swapped in. A
// crash of PostgreSQL empties unlogged tables, the progress table with them, so a rebuild that carries on
// afterwards fails in recordProgress instead of swapping in tables that lost rows. Warning: the progress
// table must stay unlogged as long as any fresh table is, or a crash would leave it claiming rows that are
// gone.
func (rb *rebuild) createFreshTables(ctx context.Context) error {
	statements := []string{
		`DROP SCHEMA IF EXISTS ` + pq.QuoteIdentifier(rb.fresh) + ` CASCADE`,
		`CREATE SCHEMA ` + pq.QuoteIdentifier(rb.fresh),
		`CREATE UNLOGGED TABLE ` + rb.qualified(rb.fresh, progressTable) + ` (applied_through text NOT NULL)`,
		`INSERT INTO ` + rb.qualified(rb.fresh, progressTable) + ` VALUES ('')`,
	}
	for _, t := range rb.tables {
		statements = append(statements, fmt.Sprintf(`CREATE UNLOGGED TABLE %s (LIKE %s INCLUDING ALL)`,
			rb.qualified(rb.fresh, t), rb.qualified(rb.live, t)))
	}
	return rb.exec(ctx, rb.cfg.DB, statements)
}

// makeLogged turns the filled fresh tables into ordinary (logged) tables, each written to the WAL whole and
// its indexes rebuilt, so that what the swap puts live survives a crash and reaches standbys like any table.
// It must run once the bulk of the log is applied (a table made logged early loses the saving) and before
// swap. The progress table stays unlogged (see createFreshTables); the swap drops it.
func (rb *rebuild) makeLogged(ctx context.Context) error {
	statements := make([]string, len(rb.tables))
	for i, t := range rb.tables {
		statements[i] = `ALTER TABLE ` + rb.qualified(rb.fresh, t) + ` SET LOGGED`
	}
	return rb.exec(ctx, rb.cfg.DB, statements)
}
