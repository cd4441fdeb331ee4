package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/gcpace"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
	orderprojection "github.com/pelcro-oss/pelcro-api/projections/order"
)

// workersTakes is what --workers takes: at least one worker (none would bill nothing), and a bound far
// past what the connection pools and the gateway serve (billing.RunWorkers).
var workersTakes = rangeTakes{min: 1, max: 1024, want: "want how many subscriptions are billed at once: a whole number from 1 to 1024"}

func newBillingCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "billing", Short: "Run the billing clock (renewals, dunning, expiry, gift notices)"}
	var until string
	var workers int
	run := &cobra.Command{
		Use:   "run --until RFC3339",
		Short: "Do every renewal, dunning retry, expiry, scheduled cancellation, gift notice and order deadline due by an instant",
		Long: `Do the billing work due up to the instant --until (RFC 3339, e.g. 2026-07-01T00:00:00Z), each item
at its own due time: renew subscriptions (open the period's invoice and charge the saved card), retry failed
charges (+3, +5 and +7 days after the first failure, then cancel or keep unpaid as the account says), end
subscriptions set to cancel or not renewing, send gift codes on their start day, and end the e-commerce
orders nobody paid by their deadline (their units back in stock). Prints one line per item and per order,
each starting with its due instant (RFC 3339 with its fraction of a second, which --until takes back),
and a summary. Running it again for the same instant does nothing; a run cut off half-way is finished
by the next one without charging anything twice. ` + "`pelcro serve`" + ` does the same on the wall clock.

When the environment sets neither GOGC nor GOMEMLIMIT, the run uses Go's garbage collector at GOGC=200, as
serve does (less CPU per renewal for a somewhat larger heap); set either to choose the pacing yourself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			at, err := time.Parse(time.RFC3339, until)
			if err != nil {
				return fmt.Errorf("--until: want an RFC 3339 instant like 2026-07-01T00:00:00Z, got %q", until)
			}
			gcpace.Apply(gcpace.BillingPercent)
			return runBilling(cmd.Context(), *cfg, at.UTC(), workers, cmd.OutOrStdout())
		},
	}
	run.Flags().StringVar(&until, "until", "", "do the work due up to this RFC 3339 instant")
	rangeVar(run.Flags(), &workers, "workers", billing.RunWorkers, workersTakes, "subscriptions billed at once, 1 to 1024")
	_ = run.MarkFlagRequired("until")
	root.AddCommand(run)
	return root
}

// runBilling catches the deadline projection up with the log, runs the billing clock until the instant and
// prints what it did.
func runBilling(ctx context.Context, cfg config.Config, until time.Time, workers int, out io.Writer) error {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	log := logger()
	runner, err := projections.NewRunner(projections.Config{Store: deps.EventStore, DB: deps.ReadModels,
		Registry: eventRegistry(), Logger: log, LiveLinger: billing.ProjectionLinger},
		deadline.Projection(), orderprojection.Projection())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	var runErr error
	go func() { runErr = runner.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	if err := billing.CaughtUp(ctx, runner, stopped, deadline.Name, orderprojection.Name); err != nil {
		select {
		case <-stopped:
			return errors.Join(err, runErr)
		default:
			return err
		}
	}
	clock := billingRunner(cfg, deps, runner, log)
	clock.Workers = workers
	clock.Report = func(a commands.BillingAction) { fmt.Fprintln(out, actionLine(a)) }
	summary, err := clock.Run(ctx, until)
	expiry := orderExpiry(cfg, deps, log)
	expiry.Report = func(r commands.OrderResult) { fmt.Fprintln(out, orderLine(r.Order)) }
	expired, expiryErr := expiry.Run(ctx, until)
	fmt.Fprintln(out, summaryLine(until, summary)+expiryLine(expired))
	return errors.Join(err, expiryErr)
}

// billingRunner is the billing clock over the installation's commands, with read-your-writes on runner.
// `pelcro billing run` and serve's wall-clock billing (startBilling) both bill through it, so both read each
// claimed chunk ahead (Biller.ReadDue) and check cards and customers on recent reads (commands'
// billingReadsFreshFor); `billing run` sets its deadline feed's linger to billing.ProjectionLinger, serve's
// runner to serveProjectionLinger.
func billingRunner(cfg config.Config, deps *dependencies, runner *projections.Runner, log *slog.Logger) billing.Runner {
	gateways := paymentGateways(cfg, deps, log)
	wallets, _, invoices := paymentCommands(deps, gateways)
	catalog := deps.commerceCatalog()
	subscriptions := commands.Subscriptions{Store: deps.EventStore, Invoices: invoices, Wallets: wallets,
		Pricer: commands.Pricer{Catalog: catalog, Store: deps.EventStore}, Catalog: catalog, Gateways: gateways,
		Names: deps.Names}
	return billing.Runner{Biller: subscriptions,
		Claims: deadline.Claims{DB: deps.ReadModels, Owner: "billing-" + uuid.NewString()},
		WaitFor: func(ctx context.Context, pos eventstore.Position) error {
			return runner.WaitFor(ctx, pos, deadline.Name)
		},
		LeaseError: func(err error) { log.Warn("billing leases", "err", err) }}
}

// startBilling runs the billing clock on the wall clock every cfg.BillingInterval until the returned stop
// is called (0: never).
func startBilling(cfg config.Config, deps *dependencies, runner *projections.Runner, log *slog.Logger) (stop func()) {
	if cfg.BillingInterval <= 0 {
		log.Info("the billing clock is off in this process (" + config.EnvBillingInterval + "=0)")
		return func() {}
	}
	clock := billingRunner(cfg, deps, runner, log)
	clock.Report = func(a commands.BillingAction) { log.Info("billing", "item", actionLine(a)) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		clock.Every(ctx, cfg.BillingInterval, time.Now, func(err error) { log.Error("billing run", "err", err) })
	}()
	return func() { cancel(); <-done }
}

// printedInstant is an instant as `billing run` prints it: RFC 3339 with as many fractional digits as it
// has (none on a whole second), so that --until of a printed instant reaches exactly that item; whole
// seconds would stop short of an item due a fraction of a second later.
func printedInstant(at time.Time) string {
	return at.UTC().Format(time.RFC3339Nano)
}

// actionLine is the line `billing run` prints for one item.
func actionLine(a commands.BillingAction) string {
	line := fmt.Sprintf("%s subscription %d %s: %s", printedInstant(a.At), a.SubscriptionID, a.Kind, a.Outcome)
	if a.InvoiceID != 0 {
		line += fmt.Sprintf(" invoice %d", a.InvoiceID)
	}
	if a.Detail != "" {
		line += " (" + a.Detail + ")"
	}
	return line
}

// orderLine is the line `billing run` prints for an order past its deadline that it ended.
func orderLine(o order.State) string {
	return fmt.Sprintf("%s order %d expiry: %s invoice %d", printedInstant(o.PayBy), o.ID,
		billing.ExpiryOutcome(o), o.InvoiceID)
}

// expiryLine ends the summary line with the orders past their deadline, when there were any.
func expiryLine(s billing.ExpirySummary) string {
	if s.Orders == 0 {
		return ""
	}
	line := fmt.Sprintf("; %d order(s) past their deadline", s.Orders)
	if len(s.Outcomes) > 0 {
		line += " (" + outcomeCounts(s.Outcomes) + ")"
	}
	if len(s.Failed) > 0 {
		line += fmt.Sprintf(", %d failed", len(s.Failed))
	}
	return line
}

// outcomeCounts lists the counts by outcome, in the outcomes' order.
func outcomeCounts(counts map[string]int) string {
	outcomes := make([]string, 0, len(counts))
	for _, o := range slices.Sorted(maps.Keys(counts)) {
		outcomes = append(outcomes, fmt.Sprintf("%s %d", o, counts[o]))
	}
	return strings.Join(outcomes, ", ")
}

// summaryLine is the last line `billing run` prints.
func summaryLine(until time.Time, s billing.Summary) string {
	line := fmt.Sprintf("billed until %s: %d item(s) on %d subscription(s)", printedInstant(until), s.Actions,
		s.Subscriptions)
	if len(s.Outcomes) > 0 {
		line += " (" + outcomeCounts(s.Outcomes) + ")"
	}
	if len(s.Failed) > 0 {
		line += fmt.Sprintf(", %d failed", len(s.Failed))
	}
	return line
}
