package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
)

// propertyChecks is how many scenarios TestEveryAcceptedEventProjectsAndRebuilds runs by default. Each
// builds a database of its own, so rapid's default of 100 would take minutes; -rapid.checks=N or
// RAPID_CHECKS=N run more (or fewer).
const propertyChecks = 4

// TestEveryAcceptedEventProjectsAndRebuilds is the property behind issue 8: whatever a command accepts, every
// read model can store, and a rebuild recomputes the very same tables. One accepted event a projection
// cannot apply stops that projection for good, and with it every endpoint waiting on it.
//
// Each check draws a scenario and runs it through the real command pipeline (commands, so the real decide
// functions of every aggregate: catalog entities, customers with their reservations and id blocks, newsletter
// entries) on a fresh PostgreSQL database: a catalog imported twice (definitions, then changes, retirements
// and reactivations), customers registering, changing their profile and addresses, signing in with a password,
// a provider or a mailed link, newsletter entries subscribing, changing and leaving, wallets saving, changing,
// deleting and confirming cards a drawn gateway described, and invoices opened, paid through a drawn gateway,
// voided and given up on, and e-commerce orders of drawn carts placed, paid or declined and expired. Values come from the domain's own value types, drawn by reflection (drawLike), with
// texts chosen to hurt: NUL and other controls, separators, invisible characters, invalid UTF-8, astral
// characters, lengths on both sides of every limit, odd metadata JSON. Commands may refuse them; every event
// they accept must then be applied by every projection `pelcro serve` runs (knownProjections, the mail outbox
// included) and survive projections.Rebuild unchanged, and `pelcro replay`'s one pass (operator.Replay) alike.
//
// It lives in package main because only here are all the projections known (knownProjections) and wired as
// the server wires them (openDependencies, projectionsConfig): a projection added to the binary is covered
// without touching this test, and no other package may import every projection without a cycle or a copy.
func TestEveryAcceptedEventProjectsAndRebuilds(t *testing.T) {
	t.Parallel()
	setRapidChecks(t, propertyChecks)
	example, err := catalogfile.ParseFile("../../examples/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		w := newPropertyWorld(t)
		accepted := w.importCatalog(w.importCatalog(example))
		w.waitFor(catalogprojections.SitesName) // the mail outbox reads the sites of the links it mails
		customers := w.runCustomers(accepted)
		w.runNewsletters(accepted)
		w.runWallets()
		w.runInvoices(customers)
		w.runBilling(accepted, customers)
		subscriptions, held := w.runSubscriptions(accepted, customers)
		w.runSubscriptionChanges(subscriptions, held)
		w.runSeats(subscriptions, held)
		w.runOrders(customers)
		w.verify()
	})
}

// setRapidChecks makes rapid run n checks unless the command line or RAPID_CHECKS chose a number.
func setRapidChecks(t *testing.T, n int) {
	t.Helper()
	chosen := false
	flag.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "rapid.checks" })
	if _, inEnvironment := os.LookupEnv("RAPID_CHECKS"); chosen || inEnvironment {
		return
	}
	if err := flag.Set("rapid.checks", strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
}

// propertyWorld is one check's server: its database, event store, commands' clock, and the projections of
// `pelcro serve` running.
type propertyWorld struct {
	t      *rapid.T
	deps   *dependencies
	config projections.Config
	runner *projections.Runner
	stop   func()
	now    time.Time
}

func newPropertyWorld(t *rapid.T) *propertyWorld {
	ctx := t.Context()
	databaseURL := withPoolSize(t, migratedtest.NewDatabase(t), 3)
	// A throwaway database need not wait for its commits to reach the disk: the projections commit once per
	// event, and waiting made each check several times slower on a busy machine. Set before any pool opens.
	db, err := pg.Open(ctx, databaseURL)
	if err != nil {
		t.Fatalf("open the check's database: %v", err)
	}
	_, err = db.ExecContext(ctx, `DO $$ BEGIN
		EXECUTE format('ALTER DATABASE %I SET synchronous_commit TO off', current_database()); END $$`)
	if closeErr := db.Close(); err != nil || closeErr != nil {
		t.Fatalf("set up the check's database: %v", errors.Join(err, closeErr))
	}
	deps, err := setUpDependencies(ctx, config.Config{DatabaseURL: databaseURL})
	if err != nil {
		t.Fatalf("open the check's database: %v", err)
	}
	t.Cleanup(func() { _ = deps.Close() })
	cfg := projectionsConfig(deps)
	// A failing event is retried briefly: the property fails on the first event a projection cannot store.
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Retry = projections.Retry{MaxRetries: 2, Backoff: projections.Backoff{Initial: 20 * time.Millisecond, Max: 100 * time.Millisecond}}
	var runner *projections.Runner // the seat claims wait for read models of the runner they run in
	runner, err = projections.NewRunner(cfg, knownProjections(deps.Keys, deps.EventStore, deps.Gateways,
		func(ctx context.Context, pos eventstore.Position, names ...string) error {
			return runner.WaitFor(ctx, pos, names...)
		})...)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	w := &propertyWorld{t: t, deps: deps, config: cfg, runner: runner, now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	w.stop = func() {
		if cancel != nil {
			cancel()
			<-done
			cancel = nil
		}
	}
	t.Cleanup(w.stop)
	return w
}

// withPoolSize is databaseURL with pools of at most n connections: the check runs while the other packages'
// tests use the shared PostgreSQL too, and its own load is a handful of writers and six projections.
func withPoolSize(t *rapid.T, databaseURL string, n int) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	query := u.Query()
	query.Set(pg.PoolSizeParam, strconv.Itoa(n))
	u.RawQuery = query.Encode()
	return u.String()
}

// head is the position of the log's last event.
func (w *propertyWorld) head() eventstore.Position {
	events, err := w.deps.EventStore.ReadAll(w.t.Context(), eventstore.AllStart(), 1_000_000)
	if err != nil || len(events) == 0 {
		w.t.Fatalf("read the log: %d events, %v", len(events), err)
	}
	return events[len(events)-1].Position
}

// waitFor waits until the named projections (all when none is named) reflect the whole log, failing the
// check when one of them stopped on an event. Reactors among them append while they catch up (the card
// reactor frees a card once a subscription ends), so it waits again until the log's head holds still.
func (w *propertyWorld) waitFor(names ...string) {
	if len(names) == 0 {
		for _, p := range knownProjections(w.deps.Keys, w.deps.EventStore, w.deps.Gateways, nil) {
			names = append(names, p.Name)
		}
	}
	ctx, cancel := context.WithTimeout(w.t.Context(), time.Minute)
	defer cancel()
	for head := w.head(); ; {
		if err := w.runner.WaitFor(ctx, head, names...); err != nil {
			if errors.Is(err, projections.ErrProjectionStopped) {
				w.t.Fatalf("an accepted event stopped a projection: %v", err)
			}
			w.t.Fatalf("projections did not catch up: %v", err)
		}
		last := head
		if head = w.head(); head.Compare(last) == 0 {
			return
		}
	}
}

// verify checks the property: every projection applied every event, rebuilding each rebuildable one from
// the log gives the same tables, and so does replaying them all in one pass into a fresh database.
func (w *propertyWorld) verify() {
	w.waitFor()
	w.stop()
	live := readModels(w.t, w.deps.ReadModels)
	var rebuilt []projections.Projection
	var reached []eventstore.Position
	for _, p := range knownProjections(w.deps.Keys, w.deps.EventStore, w.deps.Gateways, nil) {
		if p.NoRebuild != "" {
			continue
		}
		at, err := projections.Rebuild(w.t.Context(), w.config, p)
		if err != nil {
			w.t.Fatalf("rebuild %s: %v", p.Name, err)
		}
		rebuilt, reached = append(rebuilt, p), append(reached, at)
	}
	if again := readModels(w.t, w.deps.ReadModels); !maps.Equal(live, again) {
		for table := range live {
			if live[table] != again[table] {
				w.t.Errorf("%s after the rebuild:\n%s\nas the projection kept it:\n%s", table, again[table], live[table])
			}
		}
	}
	w.replayMatchesTheRebuilds(rebuilt, reached)
}

// refused reports whether err is a command's refusal (a rule, a conflict with the state), failing the check
// for any other error: an accepted-looking input that fails otherwise is a 500 waiting to happen.
func (w *propertyWorld) refused(what string, err error, refusals ...error) bool {
	if err == nil {
		return false
	}
	for _, refusal := range append(refusals, catalog.ErrInvalid) {
		if errors.Is(err, refusal) {
			return true
		}
	}
	w.t.Fatalf("%s failed instead of being accepted or refused: %v", what, err)
	return true
}
