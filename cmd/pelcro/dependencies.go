package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
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
	EventStore     eventstore.Store
	EventStoreKind config.EventStoreKind
	// Keys sign customer tokens and derive one-time links (PELCRO_AUTH_SECRET, or the database's secret).
	Keys auth.Keys
	// DataKeys are the keys sealing personal data, wrapped by the master key (PELCRO_MASTER_KEY).
	DataKeys *personaldata.Keys
	// Names keys the stream names derived from emails and usernames.
	Names commands.StreamNames
}

// openDependencies connects to the read-model database and the event store, applying migrations to both, so
// that every command works on a fresh PostgreSQL. The event store it returns seals the personal fields of
// the data subjects' streams (commands.PersonalDataStreams) under keys kept in the read-model database.
func openDependencies(ctx context.Context, cfg config.Config) (*dependencies, error) {
	kind, storeURL, err := cfg.EventStore()
	if err != nil {
		return nil, err
	}
	db, err := pg.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("read-model database: %w", err)
	}
	if err := migrations.Apply(ctx, db.DB); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("read-model database: %w", err)
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
	inner, err := openEventStore(ctx, kind, storeURL)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("event store: %w", err)
	}
	dataKeys := personaldata.NewKeys(db, ring)
	store := personaldata.NewStore(inner, dataKeys, personaldata.Config{Subjects: commands.PersonalDataStreams,
		Events: eventRegistry()})
	return &dependencies{ReadModels: db, EventStore: store, EventStoreKind: kind, Keys: keys, DataKeys: dataKeys,
		Names: names}, nil
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
	events, err := aggregates.Merge(catalog.Events, newsletter.Events, customer.Events)
	if err != nil {
		panic(fmt.Sprintf("event registry: %v", err)) // two aggregates claim one name: a programming error
	}
	return events
}

func openEventStore(ctx context.Context, kind config.EventStoreKind, url string) (eventstore.Store, error) {
	if kind == config.EventStoreESDB {
		return esdb.Open(url)
	}
	return postgres.Open(ctx, url)
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

// newProjectionRunner builds the runner of every read model `pelcro serve` keeps, decoding the events of
// every aggregate, with its metrics in the process's registry.
func (d *dependencies) newProjectionRunner(metrics prometheus.Registerer, log *slog.Logger) (*projections.Runner, error) {
	cfg := projectionsConfig(d)
	cfg.Metrics, cfg.Logger = metrics, log
	return projections.NewRunner(cfg, knownProjections(d.Keys)...)
}

// startProjections runs runner in the background until the returned stop is called, and returns once its
// projections are running (so /readyz is not briefly failing at start-up), or with ctx's error. A runner
// whose projections all stopped keeps the server up: /readyz reports them and the error is logged.
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
	for runner.Ready(ctx) != nil {
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
