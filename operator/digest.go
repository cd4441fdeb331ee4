package operator

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Digest sums up a table's content: its row count and an MD5 over every row's text, independent of row order
// and physical layout, so two tables with the same rows have the same digest wherever they live.
type Digest struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	MD5   string `json:"md5"`
}

// digestOf computes the digest of schema.table through q.
//
// The row hashes are sorted under the "C" collation: they are 32 lower-case hex digits, which every
// deterministic collation without numeric ordering (any libc one, ICU without -kn) orders as bytes, so the digest is the one the database's default collation gives, without a strcoll call
// per comparison (half of a digest's time on a C.UTF-8 database). The aggregated value carries the same
// COLLATE as the sort key so that PostgreSQL sees one expression: with the collation on the key alone it printed
// and hashed every row twice, once for the value and once for the key. Warning: the digest is compared across
// versions and databases (`pelcro replay` prints it); any change to this query must leave its value as is
// (TestDigestIsTheDefaultCollationOne).
func digestOf(ctx context.Context, q sqlx.QueryerContext, schema, table string) (Digest, error) {
	d := Digest{Table: table}
	row := q.QueryRowxContext(ctx, `SELECT count(*), md5(coalesce(string_agg(md5(t::text) COLLATE "C", '' ORDER BY md5(t::text) COLLATE "C"), ''))
		FROM `+qualified(schema, table)+` t`)
	if err := row.Scan(&d.Rows, &d.MD5); err != nil {
		return d, fmt.Errorf("operator: digest of %s: %w", table, err)
	}
	return d, nil
}

// rowsMissingFrom returns up to limit rows (as text) of schema a's table that schema b's lacks, in text
// order.
func rowsMissingFrom(ctx context.Context, q sqlx.QueryerContext, table, a, b string, limit int) ([]string, error) {
	rows := []string{}
	err := sqlx.SelectContext(ctx, q, &rows, `SELECT r FROM (SELECT t::text AS r FROM `+qualified(a, table)+` t
		EXCEPT ALL SELECT s::text FROM `+qualified(b, table)+` s) d ORDER BY r LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("operator: compare %s: %w", table, err)
	}
	return rows, nil
}

func qualified(schema, table string) string {
	return pq.QuoteIdentifier(schema) + "." + pq.QuoteIdentifier(table)
}
