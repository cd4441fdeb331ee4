// Package projections keeps the PostgreSQL read models up to date from the event store.
//
// One projection = one name with a version suffix ("plans.v1") = one ordered subscription of $all = one
// checkpoint row. A Subscriber (a watermill message.Subscriber built directly on eventstore.Store.SubscribeAll)
// feeds each projection one event at a time; a watermill Router runs one handler per projection with the
// Recoverer and a retry-with-backoff middleware. Each event's read-model change and the checkpoint advance
// commit in one PostgreSQL transaction, guarded by the checkpoint itself: an event at or before the checkpoint
// is never applied again, so redelivery after a crash is harmless. An event that keeps failing stops its
// projection (state, metric, log), never skipped; other projections keep running.
//
// Rebuilding a read model means a new name (bump the version) writing into fresh tables while the old one
// keeps serving, then switching readers over and dropping the old tables.
package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Config is what a Runner needs. Store, DB and Registry are required.
type Config struct {
	Store eventstore.Store
	// DB holds the read models and projection_checkpoints (read-model migrations applied).
	DB *sqlx.DB
	// Registry decodes events (upcasting to the newest shape); Merge the aggregates' registries.
	Registry *aggregates.Registry
	// Metrics receives the runner's series; nil registers nothing. Never the global default registry here:
	// the caller decides.
	Metrics prometheus.Registerer
	Logger  *slog.Logger
	// Retry paces the attempts at one failing event before its projection stops. Zero fields take
	// defaults: 5 retries, 100 ms doubling up to 5 s.
	Retry Retry
	// Resubscribe paces resubscriptions after a subscription error.
	Resubscribe Backoff
	// WaitPollInterval is how often WaitFor re-reads the checkpoint table for projections this runner does
	// not run (default 250 ms); projections it runs are waited for in memory.
	WaitPollInterval time.Duration
	// LiveBatchSize bounds how many events a running projection applies in one transaction (default
	// liveBatchSize); 1 applies every event in a transaction of its own.
	LiveBatchSize int
	// RebuildBatchSize is how many events one Rebuild transaction applies (default defaultRebuildBatchSize).
	RebuildBatchSize int
	// LiveLinger is the feeds' SubscriberConfig.Linger: once caught up, fewer, larger pages and batches
	// under a stream of appends, for up to that much more delay before a projection sees an event (a backlog
	// is read at full speed). A projection that a caller waits for (WaitFor) does not linger while they wait,
	// and a wait that starts ends a linger under way (Urgency): read-your-writes answers on this runner's
	// projections pay nothing for it (a wait on a projection another process runs cannot end that process's
	// linger), the read models nobody waits for lag by up to LiveLinger more. Zero (the default) reads at once.
	LiveLinger time.Duration
}

// liveBatchSize bounds how many events a running projection applies in one transaction: those the
// subscription already holds when it takes the next one, never waiting for more. A burst of writes then costs
// one transaction per batch instead of one per event; a quiet log still applies each event as it comes.
const liveBatchSize = 256

// Retry configures the retry-with-backoff middleware.
type Retry struct {
	MaxRetries int
	Backoff    Backoff
}

// Runner runs a fixed set of projections. Build it with NewRunner, start it once with Run; WaitFor, Status
// and Ready may be called at any time from any goroutine.
type Runner struct {
	cfg     Config
	runs    []*projectionRun
	byName  map[string]*projectionRun
	metrics *metrics
	ran     atomic.Bool
}

// NewRunner validates the projections (unique versioned names, one handler per event type) and registers
// the metrics.
func NewRunner(cfg Config, projections ...Projection) (*Runner, error) {
	if cfg.Store == nil || cfg.DB == nil || cfg.Registry == nil {
		return nil, errors.New("projections: runner needs a Store, a DB and a Registry")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Retry.MaxRetries <= 0 {
		cfg.Retry.MaxRetries = 5
	}
	if cfg.Retry.Backoff.Max <= 0 {
		cfg.Retry.Backoff.Max = 5 * time.Second
	}
	cfg.Retry.Backoff = cfg.Retry.Backoff.withDefaults()
	if cfg.LiveBatchSize <= 0 {
		cfg.LiveBatchSize = liveBatchSize
	}
	if cfg.WaitPollInterval <= 0 {
		cfg.WaitPollInterval = 250 * time.Millisecond
	}
	r := &Runner{cfg: cfg, byName: map[string]*projectionRun{}}
	var trackers []*tracker
	for _, p := range projections {
		dispatch, err := newDispatcher(p)
		if err != nil {
			return nil, err
		}
		if _, dup := r.byName[p.Name]; dup {
			return nil, fmt.Errorf("projections: %q registered twice", p.Name)
		}
		run := &projectionRun{name: p.Name, durable: p.Durable, batch: p.Batch, changeKey: p.ChangeKey, dispatch: dispatch, tracker: newTracker(p.Name), db: cfg.DB,
			registry: cfg.Registry, log: cfg.Logger}
		r.runs = append(r.runs, run)
		r.byName[p.Name] = run
		trackers = append(trackers, run.tracker)
	}
	m, err := newMetrics(cfg.Metrics, trackers)
	if err != nil {
		return nil, fmt.Errorf("projections: register metrics: %w", err)
	}
	r.metrics = m
	for _, run := range r.runs {
		run.metrics = m
	}
	return r, nil
}

// Run applies events until ctx ends (it then returns nil) or until every projection has stopped (it then
// returns their errors, each wrapping ErrProjectionStopped). It may be called once.
func (r *Runner) Run(ctx context.Context) error {
	if !r.ran.CompareAndSwap(false, true) {
		return errors.New("projections: Run called twice")
	}
	logger := watermill.NewSlogLoggerWithLevelMapping(r.cfg.Logger, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	router, err := message.NewRouter(message.RouterConfig{}, logger)
	if err != nil {
		return err
	}
	sub, err := NewSubscriber(SubscriberConfig{
		Store:               r.cfg.Store,
		StartFrom:           r.startFrom,
		Backoff:             r.cfg.Resubscribe,
		MaxBatch:            r.cfg.LiveBatchSize,
		Linger:              r.cfg.LiveLinger,
		Urgency:             r.urgency,
		OnCaughtUp:          func(topic string) { r.setState(topic, (*tracker).caughtUp) },
		OnSubscriptionError: func(topic string, err error) { r.setState(topic, func(t *tracker) { t.subscriptionFailed(err) }) },
		Logger:              r.cfg.Logger,
	})
	if err != nil {
		return err
	}
	defer sub.Close()
	retry := middleware.Retry{
		MaxRetries:          r.cfg.Retry.MaxRetries,
		InitialInterval:     r.cfg.Retry.Backoff.Initial,
		MaxInterval:         r.cfg.Retry.Backoff.Max,
		Multiplier:          2,
		RandomizationFactor: 0.2,
		ResetContextOnRetry: true,
	}
	for _, run := range r.runs {
		h := router.AddConsumerHandler(run.name, run.name, sub, run.handle)
		// Outermost first: stop after the last retry; retry; count each failed attempt; panics become errors.
		h.AddMiddleware(run.stopOnFailure(h.Stop), retry.Middleware, run.countFailures, middleware.Recoverer)
	}
	defer func() {
		for _, run := range r.runs {
			r.setState(run.name, (*tracker).ended)
		}
	}()
	flushCtx, stopFlushing := context.WithCancel(ctx)
	flushed := make(chan struct{})
	go func() { defer close(flushed); r.flushCheckpoints(flushCtx) }()
	defer func() { stopFlushing(); <-flushed }()
	err = router.Run(ctx)
	switch {
	case ctx.Err() != nil: // shutdown, possibly while still subscribing
		return nil
	case err != nil:
		return fmt.Errorf("projections: %w", err)
	}
	return r.stoppedErrors()
}

// urgency is the Subscriber's Urgency: the tracker of the projection named by topic, whose waiters (WaitFor)
// keep its feed from lingering.
func (r *Runner) urgency(topic string) Urgency {
	if run, ok := r.byName[topic]; ok {
		return run.tracker
	}
	return nil
}

// startFrom is the Subscriber's StartFrom: after the persisted checkpoint of the projection named by topic.
// It also picks up the stop an earlier run recorded, so the transaction that moves past its event clears it.
func (r *Runner) startFrom(ctx context.Context, topic string) (eventstore.AllFrom, error) {
	from, checkpoint, err := startFrom(ctx, r.cfg.DB, topic)
	if err != nil {
		return from, err
	}
	if run, ok := r.byName[topic]; ok {
		if err := run.loadStop(ctx, checkpoint); err != nil {
			return from, err
		}
	}
	r.setState(topic, func(t *tracker) { t.started(checkpoint) })
	return from, nil
}

// setState applies change to the named projection's tracker and mirrors the resulting state in the metrics.
func (r *Runner) setState(name string, change func(*tracker)) {
	run, ok := r.byName[name]
	if !ok {
		return
	}
	change(run.tracker)
	r.metrics.setState(name, run.tracker.view().state)
}

// stoppedErrors joins the errors of the stopped projections.
func (r *Runner) stoppedErrors() error {
	var errs []error
	for _, run := range r.runs {
		if v := run.tracker.view(); v.state == StateStopped {
			errs = append(errs, fmt.Errorf("%s: %w: %w", run.name, ErrProjectionStopped, v.lastError))
		}
	}
	return errors.Join(errs...)
}
