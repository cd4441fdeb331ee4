package commands_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
)

// clock is the billing clock's process manager over the world: the deadline and invoice projections run
// from the world's log, and runners claim from the deadline table.
type clock struct {
	w       *billingWorld
	db      *sqlx.DB
	runner  *projections.Runner
	mu      sync.Mutex
	actions map[string]int // times each item (subscription, kind, instant) was done
}

// startClock starts the projections (once every subscription of the test exists) and waits until they
// caught up with the log.
func startClock(t *testing.T, w *billingWorld) *clock {
	t.Helper()
	db := sqlx.NewDb(w.db, "postgres")
	runner, err := projections.NewRunner(projections.Config{Store: w.store, DB: db, Registry: clockEvents(t)},
		deadline.Projection(), invoiceprojection.Projection())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { _ = runner.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	if err := billing.CaughtUp(t.Context(), runner, stopped, deadline.Name); err != nil {
		t.Fatal(err)
	}
	return &clock{w: w, db: db, runner: runner, actions: map[string]int{}}
}

// billingRunner is a runner claiming as owner.
func (c *clock) billingRunner(owner string) billing.Runner {
	return billing.Runner{Biller: c.w.subscriptions, Claims: deadline.Claims{DB: c.db, Owner: owner},
		WaitFor: func(ctx context.Context, pos eventstore.Position) error {
			return c.runner.WaitFor(ctx, pos, deadline.Name, invoiceprojection.Name)
		},
		Report: func(a commands.BillingAction) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.actions[fmt.Sprintf("%d %s %s", a.SubscriptionID, a.Kind, a.At.Format(time.RFC3339))]++
		}}
}

// run runs the clock until the instant with runners runners at once.
func (c *clock) run(t *testing.T, until time.Time, runners int) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range runners {
		wg.Go(func() {
			if _, err := c.billingRunner(fmt.Sprintf("runner-%d", i)).Run(t.Context(), until); err != nil {
				t.Errorf("runner %d: %v", i, err)
			}
		})
	}
	wg.Wait()
}

// doneTwice lists the items done more than once.
func (c *clock) doneTwice() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var twice []string
	for item, n := range c.actions {
		if n > 1 {
			twice = append(twice, item)
		}
	}
	return twice
}

// clockEvents decodes the events the clock's projections read.
func clockEvents(t *testing.T) *aggregates.Registry {
	t.Helper()
	r, err := aggregates.Merge(subscription.Events, invoice.Events)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTwoRunnersActOncePerItem(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, customer, "tok_visa")
	const subscriptions = 40
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range subscriptions {
		w.subscribe(t, customer, card, monthlyTerms, start.Add(time.Duration(i)*time.Hour))
	}
	c := startClock(t, w)
	until := time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC) // renewals in March, April and May
	// when two runners bill the same quarter at once
	c.run(t, until, 2)
	// then every item was done once: three renewals of each, each charged once
	if twice := c.doneTwice(); len(twice) > 0 {
		t.Errorf("done twice: %v", twice)
	}
	if got, want := len(c.actions), subscriptions*3*2; got != want {
		t.Errorf("%d items done, want %d (a renewal and its charge, 3 months, %d subscriptions)", got, want, subscriptions)
	}
	if got := w.charges(t); got != subscriptions*3 {
		t.Errorf("%d charges, want %d", got, subscriptions*3)
	}
	// and a run for the same instant does nothing
	before := len(c.actions)
	c.run(t, until, 1)
	if len(c.actions) != before || w.charges(t) != subscriptions*3 {
		t.Errorf("a second run did %d more items, %d charges", len(c.actions)-before, w.charges(t))
	}
}
