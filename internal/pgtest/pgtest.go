// Package pgtest gives tests a fresh PostgreSQL database of their own on the server named by
// PELCRO_TEST_DATABASE_URL. It fails the test, never skips it, when PostgreSQL is unreachable: a suite
// that silently skips its database tests proves nothing.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "github.com/lib/pq" // the PostgreSQL driver the project uses everywhere

	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// DefaultURL is the server tests use when PELCRO_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL returns the admin connection URL tests create their databases through.
func ServerURL() string {
	if u := os.Getenv("PELCRO_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// TB is what NewDatabase needs of a test: a *testing.T or *testing.B, or one check of a property test
// (*rapid.T), whose database then lives for that check only.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewDatabase creates an empty database that is dropped when the test ends, and returns its URL.
func NewDatabase(t TB) string {
	t.Helper()
	admin, err := sql.Open("postgres", ServerURL())
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", ServerURL(), err)
	}
	defer admin.Close()

	name := "pelcro_test_" + randomSuffix(t)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("pgtest: PostgreSQL at %s is required (set PELCRO_TEST_DATABASE_URL): %v", ServerURL(), err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return withDatabase(t, ServerURL(), name)
}

// MissingDatabase returns the URL of a database that does not exist, for tests of what must (or must not)
// create one. Whatever a test creates there is dropped when it ends.
func MissingDatabase(t TB) string {
	t.Helper()
	name := "pelcro_test_" + randomSuffix(t)
	t.Cleanup(func() { dropDatabase(t, name) })
	return withDatabase(t, ServerURL(), name)
}

func dropDatabase(t TB, name string) {
	admin, err := sql.Open("postgres", ServerURL())
	if err != nil {
		t.Errorf("pgtest: reopen for drop: %v", err)
		return
	}
	defer admin.Close()
	// Connections a test leaked would block a plain DROP; WITH (FORCE) ends them.
	for attempt := 0; ; attempt++ {
		_, err = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		if err == nil || attempt == 5 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Errorf("pgtest: drop %s: %v", name, err)
	}
}

func withDatabase(t TB, server, name string) string {
	u, err := withDatabaseURL(server, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// withDatabaseURL is the URL of the database name on server.
func withDatabaseURL(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", server, err)
	}
	u.Path = "/" + name
	// Every test opens pools of its own (read models, event store), and tests of several packages run at
	// once: small pools keep the sum under the server's max_connections. A test whose parallel subtests wait
	// for their turn keeps its pools open meanwhile, so idle connections are closed soon: with the 5-minute
	// default, the transport package alone held 290 idle connections at once.
	query := u.Query()
	query.Set(pg.PoolSizeParam, "6")
	query.Set(pg.PoolIdleTimeParam, "2s")
	u.RawQuery = query.Encode()
	return u.String(), nil
}

// KeepingIdle is url with its pools keeping idle connections for the default 5 minutes instead of the tests'
// 2 seconds (withDatabaseURL): for the tests that count a pool's connections or a session's statements, which
// a stalled machine must not close under them.
func KeepingIdle(url string) string {
	return url + "&" + pg.PoolIdleTimeParam + "=5m"
}

func randomSuffix(t TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("pgtest: random: %v", err)
	}
	return hex.EncodeToString(b)
}
