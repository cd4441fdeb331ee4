package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
)

// The members-ip workload: GET /members/ip/authorization over n membership subscriptions of rangesPer
// ranges each, spread over the catalog's sites. Membership k's range r is a public IPv4 /24 (the last
// range an IPv6 /48), all distinct, so an address inside one is covered by exactly that membership.

// memberIPSources are the projections the members' answers come from: the cache of the wiring drops its
// answers when one of them moves, as in `pelcro serve`.
var memberIPSources = append(catalogprojections.Names(), subscriptionprojection.Name, memberip.Name)

// memberRange is range r of membership k, and an address inside it.
func memberRange(k, r, rangesPer int) (cidr, inside string) {
	n := k*rangesPer + r
	if r == rangesPer-1 {
		return fmt.Sprintf("2a02:%x:%x::/48", 0x100+n>>16, n&0xffff), fmt.Sprintf("2a02:%x:%x::7", 0x100+n>>16, n&0xffff)
	}
	return fmt.Sprintf("81.%d.%d.0/24", n>>8, n&0xff), fmt.Sprintf("81.%d.%d.77", n>>8, n&0xff)
}

// loadMemberships appends n membership subscriptions (one stream each, as commands write them) and builds
// the subscriptions and member_ip_ranges read models from the log with a rebuild of each, the way an
// operator would after an import.
func loadMemberships(ctx context.Context, db *benchenv.Database, shape benchenv.CatalogShape, n, rangesPer int) error {
	group, gctx := errgroup.WithContext(ctx)
	group.SetLimit(8)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range n {
		group.Go(func() error {
			site := k % shape.Sites
			ranges := make([]string, rangesPer)
			for r := range ranges {
				ranges[r], _ = memberRange(k, r, rangesPer)
			}
			created := subscription.Created{SubscriptionID: int64(k + 1), CustomerID: int64(k + 1), AccountID: 1,
				SiteID: benchenv.SiteID(site), Type: subscription.TypeMembership, Status: subscription.StatusActive,
				Quantity: 1, Terms: subscription.Terms{PlanID: benchenv.PlanID(site, 0, shape.PlansPerSite), Amount: 50000,
					Currency: "usd", Interval: "year", IntervalCount: 1, AutoRenew: true, Membership: true},
				Billing: subscription.BillingSendInvoice, PeriodStart: start, PeriodEnd: start.AddDate(1, 0, 0),
				IPAddresses: ranges, CreatedAt: start}
			encoded, err := subscription.Events.Encode(created)
			if err != nil {
				return err
			}
			metadata, _ := json.Marshal(map[string]int{"schema_version": encoded.SchemaVersion})
			_, err = db.Store.Append(gctx, "subscription-"+strconv.Itoa(k+1), eventstore.NoStream(),
				eventstore.EventData{ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: metadata})
			return err
		})
	}
	if err := group.Wait(); err != nil {
		return fmt.Errorf("append memberships: %w", err)
	}
	cfg, err := memberConfig(db)
	if err != nil {
		return err
	}
	for _, p := range []projections.Projection{subscriptionprojection.Projection(), memberip.Projection()} {
		if _, err := projections.Rebuild(ctx, cfg, p); err != nil {
			return fmt.Errorf("rebuild %s: %w", p.Name, err)
		}
	}
	return nil
}

// memberConfig reads the log with the catalog's and the subscriptions' events.
func memberConfig(db *benchenv.Database) (projections.Config, error) {
	registry, err := aggregates.Merge(catalog.Events, subscription.Events)
	return projections.Config{Store: db.Store, DB: db.DB, Registry: registry}, err
}

// memberRotation lists the members-ip requests the load cycles through: per sampled membership, a reader
// inside one of its ranges (200) and one at a public address no membership lists (404), both arriving
// through the loopback proxy the wiring trusts (X-Forwarded-For). The bare server gets the same requests.
func memberRotation(base string, shape benchenv.CatalogShape, n, rangesPer, samples int) []httpload.Request {
	var out []httpload.Request
	step := max(n/samples, 1)
	for s := range min(samples, n) {
		k := s * step
		_, inside := memberRange(k, s%rangesPer, rangesPer)
		outside := fmt.Sprintf("82.%d.%d.%d", s>>16&0xff, s>>8&0xff, s&0xff)
		query := url.Values{"site_id": {fmt.Sprint(benchenv.SiteID(k % shape.Sites))}}.Encode()
		for _, ask := range []struct {
			address string
			status  int
		}{{inside, http.StatusOK}, {outside, http.StatusNotFound}} {
			out = append(out, httpload.Request{URL: base + "/api/v1/sdk/members/ip/authorization?" + query,
				Header: http.Header{"X-Forwarded-For": {ask.address}}, Status: ask.status})
		}
	}
	return out
}
