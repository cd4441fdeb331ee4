package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/netip"

	catalogevents "github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/adminreads"
	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/geo"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	stockprojection "github.com/pelcro-oss/pelcro-api/projections/stock"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// apiDependencies wires the router as `pelcro serve` does for what the benchmark loads: the catalog cache
// keyed on the running catalog projections' data version, metrics with the Go and process collectors (the
// default) and the access log as serve configures it (JSON, level info), written to a discarding writer
// instead of stderr so every line is formatted in full and a terminal's speed stays out of the figure.
// The ports of the endpoints it does not load are real components over the benchmark's database, since
// transport.NewRouter refuses a router missing any; the write side's read-model waits name projections the
// benchmark's runner does not run, and nothing here writes.
func apiDependencies(ctx context.Context, db *benchenv.Database, runner *projections.Runner, photoDir string) (transport.Dependencies, error) {
	keys, err := auth.LoadKeys(ctx, db.DB, "")
	if err != nil {
		return transport.Dependencies{}, err
	}
	naming := make([]byte, 32)
	_, _ = rand.Read(naming)
	names, err := commands.NewStreamNames(naming)
	if err != nil {
		return transport.Dependencies{}, err
	}
	tokens, err := auth.NewTokens(keys.JWT, "http://bench.invalid"+transport.APIBasePath+"/customer")
	if err != nil {
		return transport.Dependencies{}, err
	}
	hasher, err := auth.NewHasher(auth.DefaultParams(), 0)
	if err != nil {
		return transport.Dependencies{}, err
	}
	idempotencyKeys, err := idempotency.NewStore(db.DB, keys.Idempotency)
	if err != nil {
		return transport.Dependencies{}, err
	}
	catalog := queries.NewCachedCatalog(queries.NewCatalog(db.DB),
		func() uint64 { return runner.DataVersion(catalogprojections.Names()...) },
		func(skuIDs []int64) (uint64, uint64) { return runner.KeyedDataVersion(stockprojection.Name, skuIDs) })
	photos := media.Photos{Dir: photoDir}
	return transport.Dependencies{
		Sites:   transport.CatalogSites(catalog),
		Catalog: catalog,
		Locator: &geo.Database{}, // as serve with PELCRO_GEOIP_DB unset
		// The load generator stands for readers behind the site's proxy: it forwards their addresses.
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		MemberIPs: queries.NewCachedMemberIPs(queries.MemberIPs{DB: db.DB},
			func() uint64 { return runner.DataVersion(memberIPSources...) }),
		Logger:             slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})),
		NewsletterCommands: commands.Newsletters{Store: db.Store, Names: names},
		NewsletterQueries:  queries.NewNewsletters(db.DB),
		WaitForNewsletters: waitFor(runner, newsletterprojection.Name),
		CustomerCommands: commands.Customers{Store: db.Store,
			CustomerIDs:  commands.NewIDAllocator(db.Store, commands.IDKindCustomer, commands.IDAllocatorConfig{}),
			AddressIDs:   commands.NewIDAllocator(db.Store, commands.IDKindAddress, commands.IDAllocatorConfig{}),
			Reservations: commands.Reservations{Store: db.Store, Names: names},
			Passwords:    hasher,
			Tokens:       auth.OneTimeTokens{Key: keys.OneTime},
			Throttle:     auth.NewLoginThrottle(db.DB, keys.Throttle)},
		CustomerQueries: queries.Customers{DB: db.DB, Plans: catalog},
		Segments:        queries.Segments{DB: db.DB},
		// The bench prices no orders: cmd/pelcro's commerce catalog is not reachable from here.
		PricePreviews:       commands.PricePreviews{Store: db.Store},
		OrderCommands:       commands.Orders{Store: db.Store},
		CustomerTokens:      transport.AuthTokens{Tokens: tokens, Revocations: auth.NewRevocations(db.DB)},
		WaitForCustomers:    waitFor(runner, customerprojection.Name),
		Identities:          idp.New(idp.Config{}),
		Photos:              photos,
		Media:               photos.Handler(),
		Idempotency:         idempotencyKeys,
		WalletCommands:      commands.Wallets{Store: db.Store},
		PaymentMethods:      queries.PaymentMethods{DB: db.DB},
		WaitForWallet:       waitFor(runner, walletprojection.Name),
		Intents:             commands.Intents{Store: db.Store},
		WaitForConfirmation: waitFor(runner, walletprojection.Name),
		InvoiceCommands:     commands.Invoices{Store: db.Store},
		WaitForInvoices:     waitFor(runner, invoiceprojection.Name),
		AdminKeys:           apikeys.NewStore(db.DB, nil),
		AdminReads: adminreads.Reads{Customers: queries.Customers{DB: db.DB}, Runner: runner, Store: db.Store,
			Operator: &operator.Operator{Store: db.Store, DB: db.DB, Registry: catalogevents.Events}},
		SubscriptionCommands: commands.Subscriptions{Store: db.Store},
		SubscriptionChanges:  commands.Subscriptions{Store: db.Store},
		WaitForSubscriptions: waitFor(runner, subscriptionprojection.Name),
		MembershipCommands:   commands.Subscriptions{Store: db.Store},
		MembershipQueries:    queries.Customers{DB: db.DB},
		WaitForMemberships:   waitFor(runner, membershipprojection.Name),
	}, nil
}

// waitFor is read-your-writes on one projection of runner.
func waitFor(runner *projections.Runner, projection string) commands.ReadModelWait {
	return func(ctx context.Context, w commands.Written) error {
		return runner.WaitFor(ctx, w.LogPosition(), projection)
	}
}
