package benchenv

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
)

// copySchema is where CopyBaseline builds its copies; it is dropped after every pass.
const copySchema = "bench_copy_baseline"

// TableRows is what some tables of the current schema held when SnapshotTables read them: every row as
// the text PostgreSQL prints for each column (NULL as nil), the form COPY … FROM STDIN parses back.
type TableRows struct {
	tables  []string
	columns [][]string
	rows    [][][]any
}

// Rows is how many rows the snapshot holds over all its tables.
func (s TableRows) Rows() int {
	n := 0
	for _, rows := range s.rows {
		n += len(rows)
	}
	return n
}

// SnapshotTables reads every row of tables (in the current schema) into memory as text.
func SnapshotTables(ctx context.Context, db *sql.DB, tables []string) (TableRows, error) {
	s := TableRows{tables: tables}
	for _, table := range tables {
		var columns []string
		rows, err := db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
		if err != nil {
			return s, err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return s, err
			}
			columns = append(columns, c)
		}
		rows.Close()
		if len(columns) == 0 {
			return s, fmt.Errorf("snapshot: table %s has no columns in the current schema", table)
		}
		values, err := textRows(ctx, db, table, columns)
		if err != nil {
			return s, fmt.Errorf("snapshot %s: %w", table, err)
		}
		s.columns, s.rows = append(s.columns, columns), append(s.rows, values)
	}
	return s, nil
}

// textRows selects every column of table cast to text.
func textRows(ctx context.Context, db *sql.DB, table string, columns []string) ([][]any, error) {
	casts := make([]string, len(columns))
	for i, c := range columns {
		casts[i] = pq.QuoteIdentifier(c) + "::text"
	}
	rows, err := db.QueryContext(ctx, `SELECT `+strings.Join(casts, ", ")+` FROM `+pq.QuoteIdentifier(table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		text := make([]sql.NullString, len(columns))
		dest := make([]any, len(columns))
		for i := range text {
			dest[i] = &text[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		row := make([]any, len(columns))
		for i, t := range text {
			if t.Valid {
				row[i] = t.String
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// CopyBaseline is the baseline a rebuild is measured against: the time PostgreSQL takes to produce the same
// final tables from the same rows with its own bulk load. In one transaction, like the rebuild's batches and
// swap, it creates empty copies of the snapshot's tables (CREATE TABLE … (LIKE … INCLUDING ALL): the same
// columns, keys and indexes), fills them with COPY … FROM STDIN (lib/pq's CopyIn, text format) and commits.
// Reading the snapshot is not timed. The copies are dropped afterwards, untimed.
func CopyBaseline(ctx context.Context, db *sql.DB, s TableRows) (Measurement, error) {
	m := Measurement{Name: "`COPY … FROM STDIN` of the same rows", Rows: s.Rows()}
	defer func() {
		_, _ = db.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS `+copySchema+` CASCADE`)
	}()
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return m, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `CREATE SCHEMA `+copySchema); err != nil {
		return m, err
	}
	for i, table := range s.tables {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %s.%s (LIKE %s INCLUDING ALL)`,
			copySchema, pq.QuoteIdentifier(table), pq.QuoteIdentifier(table))); err != nil {
			return m, err
		}
		if err := copyIn(ctx, tx, table, s.columns[i], s.rows[i]); err != nil {
			return m, fmt.Errorf("copy %s: %w", table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return m, err
	}
	m.Elapsed = time.Since(start)
	return m, nil
}

// copyIn streams rows into the copy of table with one COPY … FROM STDIN.
func copyIn(ctx context.Context, tx *sql.Tx, table string, columns []string, rows [][]any) error {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = pq.QuoteIdentifier(c)
	}
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf(`COPY %s.%s (%s) FROM STDIN`, copySchema, pq.QuoteIdentifier(table),
		strings.Join(quoted, ", ")))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, row := range rows {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return err
		}
	}
	_, err = stmt.ExecContext(ctx)
	return err
}
