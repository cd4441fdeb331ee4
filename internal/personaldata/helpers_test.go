package personaldata_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdb"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// registry decodes the events of the tests.
var registry = func() *aggregates.Registry {
	r, err := aggregates.Merge(customer.Events, newsletter.Events, reservation.Events)
	if err != nil {
		panic(err)
	}
	return r
}()

// subjects are the data subject prefixes `pelcro serve` configures.
var subjects = []string{"customer-", "newsletter-"}

// backend is an adapter the decorator is tested over.
type backend struct {
	name string
	open personaldatatest.Inner
}

// backends are the adapters the decorator is tested over: PostgreSQL (in the keys' database, as `pelcro
// serve` runs by default) and EventStoreDB through esdbtest.
var backends = []backend{
	{"postgres", personaldatatest.Postgres},
	{"esdb", func(t testing.TB, _ string) eventstore.Store {
		store, err := esdb.Open(esdbtest.Start(t).URL())
		if err != nil {
			t.Fatalf("open esdb: %v", err)
		}
		t.Cleanup(func() { _ = store.Close() })
		return store
	}},
}

// everyBackend runs test as a parallel subtest per backend, each with a world of its own.
func everyBackend(t *testing.T, test func(t *testing.T, w *world)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, newWorld(t, b))
		})
	}
}

// world is one test's stores: the inner adapter, the sealing decorator over it, and the keys' database.
type world struct {
	*personaldatatest.Env
	t     *testing.T
	db    *sqlx.DB
	inner eventstore.Store
	store *personaldata.Store
	ring  *personaldata.Keyring
	clock *clock
}

// newWorld opens a fresh read-model database, the backend's store and a decorator with a generated master key.
func newWorld(t *testing.T, b backend) *world {
	t.Helper()
	clock := &clock{at: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	env := personaldatatest.New(t, b.open, personaldata.Config{Subjects: subjects, Events: registry, Now: clock.now})
	return &world{Env: env, t: t, db: env.DB, inner: env.Inner, store: env.Store, ring: env.Ring, clock: clock}
}

// decorator returns another decorator over the same stores, as another process would have.
func (w *world) decorator() *personaldata.Store { return w.Another() }

// clock is a settable clock for the key cache.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.at = c.at.Add(d) }

// encode turns event values into EventData as the command pipeline would.
func encode(t *testing.T, events ...any) []eventstore.EventData {
	t.Helper()
	return personaldatatest.Encode(t, registry, events...)
}

// appendTo appends events through store, failing the test on error.
func appendTo(t *testing.T, store eventstore.Store, stream string, events ...any) eventstore.AppendResult {
	t.Helper()
	res, err := store.Append(t.Context(), stream, eventstore.Any(), encode(t, events...)...)
	if err != nil {
		t.Fatalf("append to %s: %v", stream, err)
	}
	return res
}

// decoded decodes recorded events into their Go values.
func decoded(t *testing.T, recorded []eventstore.RecordedEvent) []any {
	t.Helper()
	out := make([]any, len(recorded))
	for i, r := range recorded {
		md, err := aggregates.ParseMetadata(r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = registry.Decode(r.Type, md.SchemaVersion, r.Data); err != nil {
			t.Fatalf("decode %s: %v", r.Type, err)
		}
	}
	return out
}

// readStream reads a whole stream through store.
func readStream(t *testing.T, store eventstore.Store, stream string) []eventstore.RecordedEvent {
	t.Helper()
	events, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 1000)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return events
}

// readAll reads the whole log through store, in pages of pageSize.
func readAll(t *testing.T, store eventstore.Store, pageSize int) []eventstore.RecordedEvent {
	t.Helper()
	var out []eventstore.RecordedEvent
	for from := eventstore.AllStart(); ; {
		page, err := store.ReadAll(t.Context(), from, pageSize)
		if err != nil {
			t.Fatalf("read all: %v", err)
		}
		out = append(out, page...)
		if len(page) < pageSize {
			return out
		}
		from = eventstore.AllAfter(page[len(page)-1].Position)
	}
}

// subscribed reads n events of the log through a subscription of store, with Recv alone.
func subscribed(t *testing.T, store eventstore.Store, n int) []eventstore.RecordedEvent {
	t.Helper()
	return subscribedWith(t, store, n, false)
}

// subscribedInBatches is subscribed taking, after each Recv, what TryRecv has ready, as projections do.
func subscribedInBatches(t *testing.T, store eventstore.Store, n int) []eventstore.RecordedEvent {
	t.Helper()
	return subscribedWith(t, store, n, true)
}

func subscribedWith(t *testing.T, store eventstore.Store, n int, batches bool) []eventstore.RecordedEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var out []eventstore.RecordedEvent
	for len(out) < n {
		m, err := sub.Recv(ctx)
		for ok := true; ok; m, ok, err = sub.TryRecv(ctx) {
			if err != nil {
				t.Fatalf("subscription after %d events: %v", len(out), err)
			}
			if m.Event != nil {
				out = append(out, *m.Event)
			}
			if !batches {
				break
			}
		}
	}
	return out
}

// only keeps the events of one stream.
func only(stream string, events []eventstore.RecordedEvent) []eventstore.RecordedEvent {
	var out []eventstore.RecordedEvent
	for _, e := range events {
		if e.StreamID == stream {
			out = append(out, e)
		}
	}
	return out
}

func isNotFound(err error) bool { return errors.Is(err, eventstore.ErrStreamNotFound) }
