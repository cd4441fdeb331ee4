package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// start is when every generated subscription started: they all renew a month later.
var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// terms are the renewed plan: 999 usd a month.
var terms = subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 999, Currency: "usd", Interval: "month",
	IntervalCount: 1, AutoRenew: true}

// world is the commands `pelcro billing run` wires, over the benchmark's database and the sandbox gateway.
type world struct {
	db            *benchenv.Database
	wallets       commands.Wallets
	subscriptions commands.Subscriptions
	runner        *projections.Runner
	stopped       chan struct{}
	stop          context.CancelFunc
}

// policy is the default commerce policy: no taxes, default dunning.
type policy struct{ commands.CommerceCatalog }

func (policy) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (policy) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{}, nil
}

func newWorld(ctx context.Context, db *benchenv.Database, opts options) (*world, error) {
	gateways := commands.Gateways{commands.DefaultGateway: sandbox.New(db.DB.DB)}
	intents := commands.Intents{Store: db.Store, Gateways: gateways}
	invoices := commands.Invoices{Store: db.Store, Gateways: gateways, Intents: intents,
		IDs: commands.NewIDAllocator(db.Store, commands.IDKindInvoice, commands.IDAllocatorConfig{})}
	w := &world{db: db, stopped: make(chan struct{}), stop: func() {}}
	w.wallets = commands.Wallets{Store: db.Store, Gateways: gateways, Intents: intents,
		MethodIDs: commands.NewIDAllocator(db.Store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{})}
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.PaymentIntent: invoices.CompleteIntent}
	invoices.Intents = intents
	w.subscriptions = commands.Subscriptions{Store: db.Store, Invoices: invoices, Wallets: w.wallets,
		Pricer: commands.Pricer{Catalog: policy{}, Store: db.Store}, Catalog: policy{}, Gateways: gateways}
	registry, err := aggregates.Merge(subscription.Events, invoice.Events)
	if err != nil {
		return nil, err
	}
	w.runner, err = projections.NewRunner(projections.Config{Store: db.Store, DB: db.DB, Registry: registry,
		Logger: slog.New(slog.DiscardHandler), LiveLinger: billing.ProjectionLinger}, deadline.Projection())
	return w, err
}

// generate registers the customers with a tok_visa card each, then creates the subscriptions among them.
func (w *world) generate(ctx context.Context, opts options) error {
	cards := make([]int64, opts.customers)
	for k := range cards {
		id := int64(k + 1)
		if err := w.register(ctx, id); err != nil {
			return err
		}
		saved, err := w.wallets.Save(ctx, commands.Envelope{CommandID: "bench-card-" + strconv.FormatInt(id, 10)},
			commands.NewPaymentMethod{Target: commands.Target{CustomerID: id, AccountID: 1, SiteID: 1}, Token: "tok_visa"})
		if err != nil {
			return fmt.Errorf("save the card of customer %d: %w", id, err)
		}
		cards[k] = saved.PaymentMethodID
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range opts.writers {
		g.Go(func() error {
			for id := next.Add(1); id <= int64(opts.subscriptions); id = next.Add(1) {
				k := id % int64(opts.customers)
				_, err := commands.Handle(ctx, w.db.Store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
					commands.Envelope{CommandID: "bench-subscribe-" + strconv.FormatInt(id, 10)},
					func(s subscription.State) ([]subscription.Event, error) {
						return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: k + 1, AccountID: 1,
							SiteID: 1, Terms: terms, Quantity: 1, Payment: subscription.Payment{SourceID: cards[k], Gateway: "stripe"},
							PeriodAmount: terms.Amount, Paid: true}, start.Add(time.Duration(id)*time.Millisecond))
					})
				if err != nil {
					return fmt.Errorf("create subscription %d: %w", id, err)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// register writes customer id's registration straight to the log (the renewal reads only its account).
func (w *world) register(ctx context.Context, id int64) error {
	stream := commands.CustomerAggregate.StreamPrefix + strconv.FormatInt(id, 10)
	_, err := commands.Handle(ctx, w.db.Store, commands.CustomerAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: "bench-register-" + stream}, func(customer.State) ([]customer.Event, error) {
			return []customer.Event{customer.Registered{CustomerID: id, AccountID: 1, SiteID: 1,
				Email: fmt.Sprintf("reader%d@mail.example.org", id), Method: customer.MethodPassword, RegisteredAt: start}}, nil
		})
	return err
}

// catchUp starts the deadline projection and returns how long it took to reach the log's head; close stops
// it.
func (w *world) catchUp(ctx context.Context) (time.Duration, error) {
	began := time.Now()
	ctx, w.stop = context.WithCancel(ctx)
	go func() { _ = w.runner.Run(ctx); close(w.stopped) }()
	err := billing.CaughtUp(ctx, w.runner, w.stopped, deadline.Name)
	return time.Since(began), err
}

// bill runs the billing clock until every subscription's renewal is due, and times it, profiling it into
// cpuProfile when set.
func (w *world) bill(ctx context.Context, workers int, cpuProfile string) (billing.Summary, time.Duration, error) {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return billing.Summary{}, 0, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return billing.Summary{}, 0, err
		}
		defer pprof.StopCPUProfile()
	}
	clock := billing.Runner{Biller: w.subscriptions, Workers: workers,
		Claims: deadline.Claims{DB: w.db.DB, Owner: "bench", Lease: 10 * time.Minute},
		WaitFor: func(ctx context.Context, pos eventstore.Position) error {
			return w.runner.WaitFor(ctx, pos, deadline.Name)
		}}
	began := time.Now()
	summary, err := clock.Run(ctx, start.AddDate(0, 1, 1))
	return summary, time.Since(began), err
}

// close stops the deadline projection, before the database goes.
func (w *world) close() {
	w.stop()
	select {
	case <-w.stopped:
	case <-time.After(5 * time.Second):
	}
}
