package esdb

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
)

// nodeURLVariable names a real EventStoreDB node the tests also run against when set.
const nodeURLVariable = "PELCRO_TEST_ESDB_URL"

// testTimeout bounds every test so a broken subscription fails instead of hanging.
const testTimeout = 30 * time.Second

// env is what one test works with against one EventStoreDB: the store under test, a raw client for writes
// the port refuses to make (system streams), and a stream prefix nobody else uses.
type env struct {
	t     *testing.T
	ctx   context.Context
	store *Store
	raw   *esdbclient.Client
	// server is the in-process test server, nil on a real node. Only with it is $all this test's alone.
	server *esdbtest.Server
	prefix string
}

// everywhere runs test against a fresh esdbtest server and, when PELCRO_TEST_ESDB_URL is set, against
// that node too, each as a parallel subtest.
func everywhere(t *testing.T, test func(t *testing.T, e *env)) {
	t.Run("esdbtest", func(t *testing.T) {
		t.Parallel()
		server := esdbtest.Start(t)
		test(t, newEnv(t, server.URL(), server))
	})
	if url := os.Getenv(nodeURLVariable); url != "" {
		t.Run("node", func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, url, nil))
		})
	}
}

func newEnv(t *testing.T, url string, server *esdbtest.Server) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return &env{t: t, ctx: ctx, store: openStore(t, url), raw: openRawClient(t, url), server: server, prefix: uniquePrefix()}
}

// openStore opens the store under test and closes it when the test ends.
func openStore(t *testing.T, url string) *Store {
	t.Helper()
	store, err := Open(url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

func openRawClient(t *testing.T, url string) *esdbclient.Client {
	t.Helper()
	config, err := esdbclient.ParseConnectionString(url)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	config.Logger = clientLogger
	client, err := esdbclient.NewClient(config)
	if err != nil {
		t.Fatalf("raw client: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// uniquePrefix returns a stream-name prefix such as "esdb3f9a0c1b2d4e-".
func uniquePrefix() string {
	return "esdb" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12] + "-"
}

// stream names a stream inside the test's prefix.
func (e *env) stream(name string) string { return e.prefix + name }

// systemStream names a system stream ("$…") only this test uses.
func (e *env) systemStream() string { return "$" + e.prefix + "system" }

// newEvents returns n events with fresh ids and JSON payloads.
func newEvents(n int) []eventstore.EventData {
	events := make([]eventstore.EventData, n)
	for i := range events {
		id := uuid.New()
		data, _ := json.Marshal(map[string]any{"nonce": id.String(), "index": i})
		events[i] = eventstore.EventData{ID: id, Type: fmt.Sprintf("esdbtest.happened-%d", i), Data: data, Metadata: []byte(`{"by":"esdb_test"}`)}
	}
	return events
}

// append appends through the store and fails the test on error.
func (e *env) append(stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) eventstore.AppendResult {
	e.t.Helper()
	res, err := e.store.Append(e.ctx, stream, expected, events...)
	if err != nil {
		e.t.Fatalf("append %d events to %s: %v", len(events), stream, err)
	}
	return res
}

// appendSystemEvents writes n events to the test's system stream with the raw client, bypassing the port.
// Their type has no "$", so only the stream name tells they are system events.
func (e *env) appendSystemEvents(n int) {
	e.t.Helper()
	events := make([]esdbclient.EventData, n)
	for i := range events {
		events[i] = toClientEvent(newEvents(1)[0])
	}
	if _, err := e.raw.AppendToStream(e.ctx, e.systemStream(), esdbclient.AppendToStreamOptions{}, events...); err != nil {
		e.t.Fatalf("raw append to %s: %v", e.systemStream(), err)
	}
}

// eachDrop runs test once per way a subscription can drop — the server ends it, or the client dies — on every
// backend of everywhere. A real node cannot be told to drop subscriptions, so only the client case runs there.
func eachDrop(t *testing.T, test func(t *testing.T, e *env, drop func(*env))) {
	cases := []struct {
		name       string
		serverOnly bool
		drop       func(e *env)
	}{
		{name: "server ends the subscriptions", serverOnly: true, drop: func(e *env) { e.server.DropSubscriptions() }},
		{name: "client dies", drop: func(e *env) { e.killClient() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			everywhere(t, func(t *testing.T, e *env) {
				if tc.serverOnly && e.server == nil {
					return
				}
				test(t, e, tc.drop)
			})
		})
	}
}
