package customer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Store writes the batch back: the erased customers' rows and addresses deleted, then every changed customer
// and address row upserted whole, one statement per table.
func (b *batch) Store(ctx context.Context, tx *sqlx.Tx) error {
	if len(b.forgotten) > 0 {
		for _, statement := range []string{`DELETE FROM customer_addresses WHERE customer_id = ANY($1)`,
			`DELETE FROM customers WHERE id = ANY($1)`} {
			if _, err := tx.ExecContext(ctx, statement, pq.Array(b.forgotten)); err != nil {
				return fmt.Errorf("forget the batch's erased customers: %w", err)
			}
		}
	}
	customers := changedRows(b.changedCustomers, b.customers)
	if len(customers) > 0 {
		if err := upsert(ctx, tx, customersUpsert, "customers", customers); err != nil {
			return err
		}
	}
	addresses := changedRows(b.changedAddresses, b.addresses)
	if len(addresses) > 0 {
		if err := upsert(ctx, tx, addressesUpsert, "addresses", addresses); err != nil {
			return err
		}
	}
	return nil
}

// changedRows are the rows of the changed ids that still exist, each once.
func changedRows[R any](changed []int64, rows map[int64]*R) []*R {
	slices.Sort(changed)
	out := make([]*R, 0, len(changed))
	for _, id := range slices.Compact(changed) {
		if r := rows[id]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// Upserts of whole rows: rows travel as one JSON array of records (json_populate_recordset).
var (
	customersUpsert = upsertStatement("customers", customerColumns)
	addressesUpsert = upsertStatement("customer_addresses", addressColumns)
)

// upsertStatement inserts the records of $1 into table, replacing every column of the rows already there.
// The table name is unqualified on purpose: a rebuild points search_path at its fresh tables.
func upsertStatement(table, columns string) string {
	var set []string
	for _, c := range strings.Split(columns, ",") {
		if c = strings.TrimSpace(c); c != "id" {
			set = append(set, c+" = excluded."+c)
		}
	}
	return `INSERT INTO ` + table + ` (` + columns + `) SELECT ` + columns + ` FROM json_populate_recordset(NULL::` +
		table + `, $1) ON CONFLICT (id) DO UPDATE SET ` + strings.Join(set, ", ")
}

// upsert writes rows with statement (see upsertStatement).
func upsert[R any](ctx context.Context, tx *sqlx.Tx, statement, what string, rows []*R) error {
	records, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, statement, string(records)); err != nil {
		return fmt.Errorf("write the batch's %s: %w", what, err)
	}
	return nil
}
