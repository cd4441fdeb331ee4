package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdb"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// dependencies are the long-lived connections every sub-command needs.
type dependencies struct {
	ReadModels *sqlx.DB
	// EventStore seals personal data on the way in and opens it on the way out (internal/personaldata).
	EventStore eventstore.Store
	// Sealing is EventStore's sealing layer, which erases the parts of a data subject (the invitation of a
	// seat) on their own.
	Sealing        *personaldata.Store
	EventStoreKind config.EventStoreKind
	// Keys sign customer tokens and derive one-time links (PELCRO_AUTH_SECRET, or the database's secret).
	Keys auth.Keys
	// DataKeys are the keys sealing personal data, wrapped by the master key (PELCRO_MASTER_KEY).
	DataKeys *personaldata.Keys
	// Names keys the stream names derived from emails and usernames.
	Names commands.StreamNames
	// Gateways are the payment gateways (paymentGateway), for the reactors that refund a purchase refused
	// once paid.
	Gateways commands.Gateways
	// postgresStore is the event store under the sealing, when it is the PostgreSQL one (see warmPools).
	postgresStore *postgres.Store
}

// openDependencies connects to the read-model database and the event store of an installation that
// `pelcro migrate` or `pelcro serve` set up. It creates nothing and applies no migration: a missing database
// or a schema behind this binary is a one-line error naming the command to run. Every command but serve and
// migrate opens its dependencies this way, so a mistyped URL, or a command run before the first start, never
// leaves a new database behind (read-like commands used to create and fill the default one silently). The
// event store it returns seals the personal fields of the data subjects' streams
// (commands.PersonalDataStreams) under keys kept in the read-model database.
func openDependencies(ctx context.Context, cfg config.Config) (*dependencies, error) {
	return openWith(ctx, cfg, existingSchema)
}

// setUpDependencies is openDependencies for `pelcro serve` and `pelcro migrate`: it creates the databases
// when missing and applies the migrations of both, so a fresh PostgreSQL needs no manual set-up.
func setUpDependencies(ctx context.Context, cfg config.Config) (*dependencies, error) {
	return openWith(ctx, cfg, createSchema)
}

// schemaUse is how a command gets its PostgreSQL databases: created and migrated, or as they are.
type schemaUse struct {
	connect    func(context.Context, string) (*sqlx.DB, error)
	readModels func(context.Context, *sql.DB) error
	eventStore func(context.Context, string, ...postgres.Option) (*postgres.Store, error)
}

var (
	createSchema   = schemaUse{connect: pg.Open, readModels: migrations.Apply, eventStore: postgres.Open}
	existingSchema = schemaUse{connect: pg.Connect, readModels: migrations.Check, eventStore: postgres.Connect}
)

func openWith(ctx context.Context, cfg config.Config, use schemaUse) (*dependencies, error) {
	kind, storeURL, err := cfg.EventStore()
	if err != nil {
		return nil, err
	}
	db, err := use.openReadModels(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	keys, err := auth.LoadKeys(ctx, db, cfg.AuthSecret)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%s: %w", config.EnvAuthSecret, err)
	}
	ring, err := personaldata.LoadKeyring(ctx, db, cfg.MasterKey, cfg.PreviousMasterKeys)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%s: %w", config.EnvMasterKey, err)
	}
	names, err := streamNames(ctx, db, ring)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	inner, err := use.openEventStore(ctx, kind, storeURL)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("event store: %w", setUpHint(err))
	}
	dataKeys := personaldata.NewKeys(db, ring)
	store := personaldata.NewStore(inner, dataKeys, personaldata.Config{Subjects: commands.PersonalDataStreams,
		Events: eventRegistry()})
	pgStore, _ := inner.(*postgres.Store)
	return &dependencies{ReadModels: db, EventStore: store, Sealing: store, EventStoreKind: kind, Keys: keys, DataKeys: dataKeys,
		Names: names, postgresStore: pgStore,
		Gateways: commands.Gateways{commands.DefaultGateway: paymentGateway(cfg, db.DB, slog.New(slog.DiscardHandler))}}, nil
}

// streamNames keys stream names with the deployment's naming secret (generated once, kept in the database).
func streamNames(ctx context.Context, db *sqlx.DB, ring *personaldata.Keyring) (commands.StreamNames, error) {
	secret, err := personaldata.NamingSecret(ctx, db, ring)
	if err != nil {
		return commands.StreamNames{}, fmt.Errorf("%s: %w", config.EnvMasterKey, err)
	}
	return commands.NewStreamNames(secret)
}

// eventRegistry decodes every event of the log: the one registry the projections, the sealing store and the
// operator tools share.
func eventRegistry() *aggregates.Registry {
	events, err := aggregates.Merge(catalog.Events, newsletter.Events, customer.Events, wallet.Events,
		invoice.Events, subscription.Events, order.Events, stock.Events)
	if err != nil {
		panic(fmt.Sprintf("event registry: %v", err)) // two aggregates claim one name: a programming error
	}
	return events
}

// openReadModels connects to the read-model database at url.
func (use schemaUse) openReadModels(ctx context.Context, url string) (*sqlx.DB, error) {
	db, err := use.connect(ctx, url)
	if err == nil {
		if err = use.readModels(ctx, db.DB); err != nil {
			_ = db.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read-model database: %w", setUpHint(err))
	}
	return db, nil
}

func (use schemaUse) openEventStore(ctx context.Context, kind config.EventStoreKind, url string) (eventstore.Store, error) {
	if kind == config.EventStoreESDB {
		return esdb.Open(url)
	}
	return use.eventStore(ctx, url)
}

// setUpHint adds what to do to the errors of a database that was never set up.
func setUpHint(err error) error {
	if errors.Is(err, pg.ErrNoDatabase) || errors.Is(err, pg.ErrNotMigrated) {
		return fmt.Errorf("%w; run \"pelcro migrate\" (or \"pelcro serve\") to set it up", err)
	}
	return err
}

// Close releases every connection.
func (d *dependencies) Close() error {
	return errors.Join(d.EventStore.Close(), d.ReadModels.Close())
}

// probeStream is read by the readiness check: reading a stream that never exists proves the event store
// answers without writing anything.
const probeStream = "pelcro-readiness-probe"

// eventStoreReady reports whether the event store answers a read.
func (d *dependencies) eventStoreReady(ctx context.Context) error {
	_, err := d.EventStore.ReadStream(ctx, probeStream, eventstore.Forwards, eventstore.StreamStart(), 1)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	return err
}

// serveProjectionLinger is the projections.Config.LiveLinger of the runner a server keeps: under a stream of
// writes, a projection that no request waits for reads the log again only at the clock's next multiple of
// 5 ms after a page, so it applies several writes in one page and one transaction. The projections an
// answer waits for (Runner.WaitFor) do not linger while it waits, and a wait ends a linger under way.
// Measured with bench/api at 16 connections (docs/benchmarks.md, 2026-12-06): 2–13 % less CPU a write, one
// `PUT /customer` at a time no slower. Warning: the read models nobody waits for lag by up to this much more
// (serve's billing clock's deadline feed among them).
const serveProjectionLinger = 5 * time.Millisecond

// newProjectionRunner builds the runner of every read model `pelcro serve` keeps, and of the reactors it
// runs (knownProjections), decoding the events of every aggregate, with its metrics in the
// process's registry.
func (d *dependencies) newProjectionRunner(metrics prometheus.Registerer, log *slog.Logger) (*projections.Runner, error) {
	cfg := projectionsConfig(d)
	cfg.Metrics, cfg.Logger, cfg.LiveLinger = metrics, log, serveProjectionLinger
	var runner *projections.Runner // the seat claims wait for read models of the runner they run in
	runner, err := projections.NewRunner(cfg, knownProjections(d.Keys, d.EventStore, d.Gateways,
		func(ctx context.Context, pos eventstore.Position, names ...string) error {
			return runner.WaitFor(ctx, pos, names...)
		})...)
	return runner, err
}

// startProjections runs runner in the background until the returned stop is called, and returns once every
// projection is running or stopped (so /readyz is not briefly failing at start-up), or with ctx's error. A
// projection that stops on an event, at start-up or later, keeps the server up for everything that does not
// depend on it: /readyz and the metrics name it and the error is logged.
func startProjections(ctx context.Context, runner *projections.Runner, log *slog.Logger) (stop func(), err error) {
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := runner.Run(runCtx); err != nil {
			log.Error("projections ended", "error", err)
		}
	}()
	stop = func() { cancel(); <-done }
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for notStarted(runner.Ready(ctx)) {
		select {
		case <-ctx.Done():
			stop()
			return nil, ctx.Err()
		case <-done:
			return stop, nil
		case <-tick.C:
		}
	}
	return stop, nil
}

// notStarted reports whether a runner's readiness error names a projection that is not running yet; stopped
// ones have started, and waiting for them would wait for ever.
func notStarted(readiness error) bool {
	notReady, ok := errors.AsType[*projections.NotReadyError](readiness)
	return readiness != nil && (!ok || len(notReady.NotRunning) > 0)
}
