package main

import (
	"context"
	"fmt"
	"net/url"
	"os"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// environment is a throw-away database holding both our event store and the raw baseline table, so both
// sides share the server, its WAL and its fsyncs.
type environment struct {
	serverURL string
	name      string
	raw       *sqlx.DB
	store     *postgres.Store
}

// rawSchema mirrors the event store's payload columns with only a primary key: the cheapest correct way
// to keep the same data, and the baseline our store's extra guarantees are measured against.
const rawSchema = `CREATE TABLE raw_events (
    id         bigserial PRIMARY KEY,
    stream_id  text  NOT NULL,
    revision   bigint NOT NULL,
    event_id   uuid  NOT NULL,
    event_type text  NOT NULL,
    data       bytea NOT NULL,
    metadata   bytea
)`

func setUp(ctx context.Context, serverURL string) (*environment, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("pelcro_bench_%d", os.Getpid())
	u.Path = "/" + name
	env := &environment{serverURL: serverURL, name: name}
	if env.raw, err = pg.Open(ctx, u.String()); err != nil {
		return nil, err
	}
	if _, err := env.raw.ExecContext(ctx, rawSchema); err != nil {
		env.tearDown()
		return nil, err
	}
	if env.store, err = postgres.Open(ctx, u.String()); err != nil {
		env.tearDown()
		return nil, err
	}
	return env, nil
}

func (e *environment) tearDown() {
	if e.store != nil {
		_ = e.store.Close()
	}
	if e.raw != nil {
		_ = e.raw.Close()
	}
	admin, err := sqlx.Open("postgres", e.serverURL)
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(e.name) + ` WITH (FORCE)`)
}
