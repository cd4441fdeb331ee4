package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
)

// rawTable is the baseline's table: a bigserial key and a payload the size of a customer event.
const rawTable = `CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigserial PRIMARY KEY, payload text NOT NULL)`

// rawPayload is what each baseline transaction inserts: about the size of a profile change's data.
var rawPayload = fmt.Sprintf(`{"customer_id":1,"profile":{"first_name":"Reader","last_name":"Bench","language":"en"},"changed_at":"%s"}`,
	time.Now().UTC().Format(time.RFC3339Nano))

// rawInserts is the baseline of the write benchmarks: what PostgreSQL itself does with `connections`
// clients each committing single-row INSERT transactions back to back (what pgbench's insert script does),
// through a prepared statement on the same server and database as the API.
func rawInserts(ctx context.Context, db *sql.DB, connections int, d time.Duration) (httpload.Result, error) {
	if _, err := db.ExecContext(ctx, rawTable); err != nil {
		return httpload.Result{}, err
	}
	stmt, err := db.PrepareContext(ctx, `INSERT INTO bench_raw_insert (payload) VALUES ($1)`)
	if err != nil {
		return httpload.Result{}, err
	}
	defer stmt.Close()
	db.SetMaxOpenConns(max(connections, 2))
	db.SetMaxIdleConns(max(connections, 2))
	return httpload.Loop(ctx, connections, d, func(ctx context.Context, _, _ int) error {
		_, err := stmt.ExecContext(ctx, rawPayload)
		return err
	})
}
