// Package pg holds the PostgreSQL plumbing shared by the read models and the PostgreSQL event store:
// opening a database (creating it on first start) and running embedded migrations.
package pg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// alreadyCreated reports whether CREATE DATABASE lost a race with another process: 42P04 when the other
// creation committed first, 23505 (unique violation on pg_database) when both ran at the same time.
func alreadyCreated(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505")
}

// Pool sizes. database/sql keeps only 2 idle connections by default: under concurrent load it then closes
// and reopens connections all the time, re-preparing every statement on each, which cost our event store
// more than half its append throughput. Keep as many idle as may be open.
const (
	maxOpenConns    = 32
	connMaxIdleTime = 5 * time.Minute
)

// ErrNoDatabase is what Connect returns (wrapped) when the database a URL names does not exist.
var ErrNoDatabase = errors.New("database does not exist")

// Open connects to the database at dsn, creating the database first when it does not exist, so that a
// fresh PostgreSQL server needs no manual set-up before `pelcro serve`.
//
// The pool opens at most PoolSizeParam connections when the URL names it, 32 otherwise, and closes those
// idle for PoolIdleTimeParam (5 minutes by default).
func Open(ctx context.Context, dsn string) (*sqlx.DB, error) {
	client, _, err := ClientURL(dsn)
	if err != nil {
		return nil, err
	}
	if err := EnsureDatabase(ctx, client); err != nil {
		return nil, err
	}
	return Connect(ctx, dsn)
}

// Connect is Open without creating anything: for a database that does not exist it returns ErrNoDatabase,
// so a command that only reads (or a URL with a typo) never leaves an empty database behind. Its
// connections keep the queries they run prepared (preparingConnector).
func Connect(ctx context.Context, dsn string) (*sqlx.DB, error) {
	dsn, pool, err := ClientURL(dsn)
	if err != nil {
		return nil, err
	}
	connector, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
	}
	db := sqlx.NewDb(sql.OpenDB(preparingConnector{connector}), "postgres")
	db.SetMaxOpenConns(pool.MaxConns)
	db.SetMaxIdleConns(pool.MaxConns)
	db.SetConnMaxIdleTime(pool.MaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "3D000" { // invalid_catalog_name
			return nil, fmt.Errorf("%w: %s", ErrNoDatabase, Redact(dsn))
		}
		return nil, fmt.Errorf("connect to %s: %w", Redact(dsn), err)
	}
	return db, nil
}

// EnsureDatabase creates the database named in dsn when missing. It connects to the server's maintenance
// database ("postgres") to do so.
func EnsureDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return nil
	}
	admin := *u
	admin.Path = "/postgres"
	db, err := sqlx.Open("postgres", admin.String())
	if err != nil {
		return fmt.Errorf("open %s: %w", Redact(admin.String()), err)
	}
	defer db.Close()

	var exists bool
	if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
		return fmt.Errorf("connect to %s: %w", Redact(admin.String()), err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name))
	if err != nil && !alreadyCreated(err) {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// Redact hides the password of a connection URL so it can be logged.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable database URL)"
	}
	return u.Redacted()
}
