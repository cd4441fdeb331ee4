package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// withCustomers fills in what the customer endpoints need: the commands (ids, reservations, argon2id with
// OWASP's parameters, one-time tokens), the customers read model and its wait, JWTs issued for
// PublicURL/api/v1/sdk/customer and revoked in PostgreSQL, the login throttle, identity providers and
// profile photos under DataDir; the segment reads over the catalog and customers read models; the
// customer's subscriptions and the catalog's taxes and plans for the address rules that involve
// subscriptions (spec #47). The Customer resource embeds its subscriptions' plans from catalog, the
// process's catalog cache.
func withCustomers(into *transport.Dependencies, cfg config.Config, deps *dependencies, runner *projections.Runner,
	catalog *queries.CachedCatalog) error {
	hasher, err := auth.NewHasher(auth.DefaultParams(), 0)
	if err != nil {
		return fmt.Errorf("password hasher: %w", err)
	}
	tokens, err := auth.NewTokens(deps.Keys.JWT, cfg.PublicURL+transport.APIBasePath+"/customer")
	if err != nil {
		return err
	}
	photos := media.Photos{Dir: cfg.DataDir}
	into.CustomerCommands = commands.Customers{Store: deps.EventStore,
		CustomerIDs:  commands.NewIDAllocator(deps.EventStore, commands.IDKindCustomer, commands.IDAllocatorConfig{}),
		AddressIDs:   commands.NewIDAllocator(deps.EventStore, commands.IDKindAddress, commands.IDAllocatorConfig{}),
		Reservations: commands.Reservations{Store: deps.EventStore, Names: deps.Names},
		Passwords:    hasher,
		Tokens:       auth.OneTimeTokens{Key: deps.Keys.OneTime},
		Throttle:     auth.NewLoginThrottle(deps.ReadModels, deps.Keys.Throttle),
		SubscriptionsOf: func(ctx context.Context, customerID int64) ([]int64, error) {
			return subscriptionprojection.Running(ctx, deps.ReadModels, customerID)
		},
		Catalog: deps.cachedCommerceCatalog(catalog)}
	into.CustomerQueries = queries.Customers{DB: deps.ReadModels, Plans: catalog}
	into.Segments = deps.segments()
	into.CustomerTokens = transport.AuthTokens{Tokens: tokens, Revocations: auth.NewRevocations(deps.ReadModels)}
	into.WaitForCustomers = readModelWait(runner, customerprojection.Name)
	into.Identities = idp.New(idp.Config{})
	into.Photos, into.Media = photos, photos.Handler()
	into.PublicURL = cfg.PublicURL
	return nil
}

// housekeepingInterval is how often expired revocations, old login failures and expired idempotency keys
// are deleted.
const housekeepingInterval = time.Hour

// startAuthHousekeeping deletes, every housekeepingInterval until stop is called, the revocations of tokens
// that expired anyway, the login failures outside the lockout window and the idempotency keys past their
// 24 hours (whose stored answers may hold live tokens): the tables stay small.
func startAuthHousekeeping(deps *dependencies, keys *idempotency.Store, log *slog.Logger) (stop func()) {
	revocations, throttle := auth.NewRevocations(deps.ReadModels), auth.NewLoginThrottle(deps.ReadModels, deps.Keys.Throttle)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(housekeepingInterval)
		defer ticker.Stop()
		for {
			if _, err := revocations.Purge(ctx); err != nil && ctx.Err() == nil {
				log.Warn("purging expired token revocations", "error", err)
			}
			if _, err := throttle.Purge(ctx); err != nil && ctx.Err() == nil {
				log.Warn("purging old login failures", "error", err)
			}
			if _, err := keys.Purge(ctx); err != nil && ctx.Err() == nil {
				log.Warn("purging expired idempotency keys", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
