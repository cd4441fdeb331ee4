package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	stockprojection "github.com/pelcro-oss/pelcro-api/projections/stock"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

func newServeCommand(cfg *config.Config) *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Apply migrations and serve the HTTP API until SIGTERM",
		Long: "Apply migrations and serve the HTTP API until SIGTERM.\n\n" +
			"When the environment sets neither GOGC nor GOMEMLIMIT, serve runs Go's garbage collector at GOGC=200 " +
			"(less CPU per request for a somewhat larger heap); set either to choose the pacing yourself.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			applyServeGCDefault()
			if demo {
				if _, err := importDemoCatalog(cmd.Context(), *cfg, logger()); err != nil {
					return err
				}
			}
			return serve(cmd.Context(), *cfg)
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false,
		"import the example catalog (examples/catalog.yaml) first when the event store is empty; a non-empty store is left alone")
	return cmd
}

// serve listens on the configured address and runs the API there until ctx ends, then returns within
// shutdownGrace whatever its dependencies do.
func serve(ctx context.Context, cfg config.Config) error {
	listener, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	return finishWithin(ctx, shutdownGrace, func() error { return serveOn(ctx, cfg, listener) })
}

// serveOn runs the API on listener until ctx ends (SIGTERM or SIGINT), then stops accepting connections,
// lets in-flight requests finish within shutdownGrace-stopReserve and stops the rest.
func serveOn(ctx context.Context, cfg config.Config, listener net.Listener) error {
	log := logger()
	locator, err := openLocator(cfg)
	if err != nil {
		_ = listener.Close()
		return err
	}
	defer func() { _ = locator.Close() }()
	deps, err := setUpDependencies(ctx, cfg)
	if err != nil {
		_ = listener.Close()
		return err
	}
	defer deps.Close()
	if err := deps.warmPools(ctx); err != nil && ctx.Err() == nil {
		log.Warn("connection pools not opened ahead of load", "error", err)
	}
	stopMail, err := startMailDelivery(cfg, deps.ReadModels, log)
	if err != nil {
		_ = listener.Close()
		return err
	}
	defer stopMail() // before deps.Close: the deliverer stops before its connection closes

	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	runner, err := deps.newProjectionRunner(metrics, log)
	if err != nil {
		_ = listener.Close()
		return err
	}
	stopProjections, err := startProjections(ctx, runner, log)
	if err != nil {
		_ = listener.Close()
		if ctx.Err() != nil {
			return nil // ctx ended while starting: a shutdown, not a failure
		}
		return err
	}
	// Deferred after deps.Close, so it runs first: the projections stop before their connections close,
	// and only after the HTTP server drained (requests may be waiting for a projection).
	defer stopProjections()
	catalog := queries.NewCachedCatalog(queries.NewCatalog(deps.ReadModels),
		func() uint64 { return runner.DataVersion(catalogprojections.Names()...) },
		func(skuIDs []int64) (uint64, uint64) { return runner.KeyedDataVersion(stockprojection.Name, skuIDs) })
	api := transport.Dependencies{
		Readiness: []transport.ReadinessCheck{
			{Name: "database", Check: deps.ReadModels.PingContext},
			{Name: "eventstore", Check: deps.eventStoreReady},
			{Name: "projections", Check: runner.Ready},
		},
		Sites:              transport.CatalogSites(catalog),
		Catalog:            catalog,
		MemberIPs:          memberIPs(deps, runner),
		TrustedProxies:     cfg.TrustedProxies,
		Locator:            locator,
		NewsletterCommands: commands.Newsletters{Store: deps.EventStore, Names: deps.Names},
		NewsletterQueries:  queries.NewNewsletters(deps.ReadModels),
		WaitForNewsletters: readModelWait(runner, newsletterprojection.Name),
		PricePreviews:      deps.pricePreviews(),
		Logger:             log,
		Metrics:            metrics,
		AllowedOrigins:     cfg.CORSOrigins,
	}
	if err := withCustomers(&api, cfg, deps, runner, catalog); err != nil {
		_ = listener.Close()
		return err
	}
	withPayments(&api, cfg, deps, runner, catalog, log)
	withAdmin(&api, deps, runner)
	withMemberships(&api, deps, runner)
	keys, err := idempotency.NewStore(deps.ReadModels, deps.Keys.Idempotency)
	if err != nil {
		_ = listener.Close()
		return err
	}
	api.Idempotency = keys
	stopHousekeeping := startAuthHousekeeping(deps, keys, log)
	defer stopHousekeeping()
	stopBilling := startBilling(cfg, deps, runner, log)
	defer stopBilling() // before the projections and connections it uses close
	stopOrderExpiry := startOrderExpiry(cfg, deps, log)
	defer stopOrderExpiry()
	router, err := transport.NewRouter(api)
	if err != nil {
		_ = listener.Close()
		return err
	}
	server := transport.NewServer(router, transport.DefaultServerTimeouts)
	log.Info("serving", "addr", listener.Addr().String(), "eventstore", deps.EventStoreKind)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace-stopReserve)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		// Requests still running after the grace period are cut off before the deferred closes pull the
		// projections and connections from under them.
		_ = server.Close()
		<-served
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// readModelWait is read-your-writes on projections of runner, for the HTTP layer.
func readModelWait(runner *projections.Runner, names ...string) commands.ReadModelWait {
	return func(ctx context.Context, w commands.Written) error {
		return runner.WaitFor(ctx, w.LogPosition(), names...)
	}
}
