package queries_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	"github.com/pelcro-oss/pelcro-api/queries"
)

var memberSince = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// membership is subscription id of site, on plan, listing ip_addresses, created active.
func membership(id, site, plan int64, ipAddresses ...string) subscription.Created {
	return subscription.Created{SubscriptionID: id, CustomerID: 40 + id, AccountID: 1, SiteID: site,
		Type: subscription.TypeMembership, Status: subscription.StatusActive, Quantity: 1,
		Terms: subscription.Terms{PlanID: plan, Amount: 50000, Currency: "usd", Interval: "year", IntervalCount: 1,
			AutoRenew: true, Membership: true},
		Billing: subscription.BillingSendInvoice, PeriodStart: memberSince, PeriodEnd: memberSince.AddDate(1, 0, 0),
		IPAddresses: ipAddresses, CreatedAt: memberSince}
}

// memberWorld is the catalog fixture and subscriptions in a PostgreSQL event store, projected by the
// catalog, subscriptions and member_ip_ranges projections.
type memberWorld struct {
	t      *testing.T
	env    *catalogtest.Env
	runner *projections.Runner
}

func newMemberWorld(t *testing.T, streams map[int64][]subscription.Event) *memberWorld {
	t.Helper()
	env := catalogtest.New(t)
	env.Import(catalogtest.Catalog())
	registry, err := aggregates.Merge(catalog.Events, subscription.Events)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := projections.NewRunner(projections.Config{Store: env.Store, DB: env.DB, Registry: registry},
		append(catalogprojections.All(), subscriptionprojection.Projection(), memberip.Projection())...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	w := &memberWorld{t: t, env: env, runner: runner}
	for id, events := range streams {
		w.append(id, eventstore.NoStream(), events...)
	}
	return w
}

// append writes events to subscription id's stream and waits until every projection reflects them.
func (w *memberWorld) append(id int64, expected eventstore.ExpectedRevision, events ...subscription.Event) {
	w.t.Helper()
	data := make([]eventstore.EventData, len(events))
	for i, e := range events {
		encoded, err := subscription.Events.Encode(e)
		if err != nil {
			w.t.Fatal(err)
		}
		metadata, _ := json.Marshal(map[string]int{"schema_version": encoded.SchemaVersion})
		data[i] = eventstore.EventData{ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: metadata}
	}
	result, err := w.env.Store.Append(w.t.Context(), "subscription-"+strconv.FormatInt(id, 10), expected, data...)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(w.t.Context(), 20*time.Second)
	defer cancel()
	if err := w.runner.WaitFor(ctx, result.Position, memberip.Name, subscriptionprojection.Name); err != nil {
		w.t.Fatal(err)
	}
}

func TestSubscriptionsByIP(t *testing.T) {
	t.Parallel()
	// given on the news site a campus membership on the catalog's membership plan (a /24 and an IPv6 /32),
	// a city-wide one on a plan the catalog no longer has, and an ended one; on the other site a membership
	// over the same campus; and a regular subscription
	site, other := catalogtest.SiteID, catalogtest.OtherSiteID
	w := newMemberWorld(t, map[int64][]subscription.Event{
		1: {membership(1, site, catalogtest.FreePlanID, "81.2.69.0/24", "2a00:1450::/32")},
		2: {membership(2, site, 999, "81.2.0.0/16")},
		3: {membership(3, site, catalogtest.FreePlanID, "81.2.69.0/24"), subscription.Ended{SubscriptionID: 3,
			Status: subscription.StatusCanceled, By: subscription.ByCustomer, EndedAt: memberSince.AddDate(0, 1, 0)}},
		4: {membership(4, other, catalogtest.OtherSitePlanID, "81.2.69.0/24")},
		5: {func() subscription.Created {
			c := membership(5, site, catalogtest.PaidPlanID)
			c.Type, c.Terms.Membership = subscription.TypeRegular, false
			return c
		}()},
	})
	memberIPs := queries.MemberIPs{DB: w.env.DB}
	cases := []struct {
		name string
		site int64
		ip   string
		want []int64
	}{
		{"an address on campus: both running memberships, not the ended one", site, "81.2.69.160", []int64{1, 2}},
		{"the same address seen as IPv4-mapped IPv6", site, "::ffff:81.2.69.160", []int64{1, 2}},
		{"in the city, off campus", site, "81.2.70.1", []int64{2}},
		{"on the campus IPv6 network", site, "2a00:1450:4001:82b::200e", []int64{1}},
		{"outside every range", site, "81.3.0.1", nil},
		{"another site only sees its own", other, "81.2.69.160", []int64{4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the site asks for the address
			got, err := memberIPs.SubscriptionsByIP(t.Context(), tc.site, netip.MustParseAddr(tc.ip))
			if err != nil {
				t.Fatal(err)
			}
			// then it gets the memberships whose ranges hold it, oldest first
			var ids []int64
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("subscriptions %v, want %v", ids, tc.want)
			}
		})
	}
	t.Run("each shows its plan and period, nothing of its owner", func(t *testing.T) {
		t.Parallel()
		got, err := memberIPs.SubscriptionsByIP(t.Context(), site, netip.MustParseAddr("81.2.69.160"))
		if err != nil || len(got) != 2 {
			t.Fatalf("got %d subscriptions, %v", len(got), err)
		}
		var catalogPlan, soldPlan struct {
			ID       int64  `json:"id"`
			Nickname string `json:"nickname"`
			Amount   int64  `json:"amount"`
		}
		if json.Unmarshal(got[0].Plan, &catalogPlan) != nil || catalogPlan.ID != catalogtest.FreePlanID || catalogPlan.Nickname != "Campus access" {
			t.Errorf("plan of the catalog's membership = %s", got[0].Plan)
		}
		if json.Unmarshal(got[1].Plan, &soldPlan) != nil || soldPlan.ID != 999 || soldPlan.Amount != 50000 {
			t.Errorf("plan no longer in the catalog = %s, want the terms as sold", got[1].Plan)
		}
		encoded, _ := json.Marshal(got[0])
		var fields map[string]any
		_ = json.Unmarshal(encoded, &fields)
		for _, private := range []string{"customer_id", "user_id", "metadata", "address_id", "ip_addresses", "coupon", "latest_invoice"} {
			if _, shown := fields[private]; shown {
				t.Errorf("%s shown to anybody on the network: %s", private, encoded)
			}
		}
		if fields["status"] != "active" || fields["is_membership"] != true || fields["object"] != "subscription" ||
			fields["current_period_end"] != float64(memberSince.AddDate(1, 0, 0).Unix()) {
			t.Errorf("subscription = %s", encoded)
		}
	})
	t.Run("no address is ErrInvalidIP", func(t *testing.T) {
		t.Parallel()
		if _, err := memberIPs.SubscriptionsByIP(t.Context(), site, netip.Addr{}); !errors.Is(err, queries.ErrInvalidIP) {
			t.Fatalf("err = %v, want ErrInvalidIP", err)
		}
	})
}

func TestCachedMemberIPsForgetWhenTheReadModelsMove(t *testing.T) {
	t.Parallel()
	// given a campus membership and a cache over it at version 1
	w := newMemberWorld(t, map[int64][]subscription.Event{
		1: {membership(1, catalogtest.SiteID, catalogtest.FreePlanID, "81.2.69.0/24")},
	})
	var version atomic.Uint64
	version.Store(1)
	cache := queries.NewCachedMemberIPs(queries.MemberIPs{DB: w.env.DB}, version.Load)
	ask := func() int {
		got, err := cache.SubscriptionsByIP(t.Context(), catalogtest.SiteID, netip.MustParseAddr("81.2.69.1"))
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	if n := ask(); n != 1 {
		t.Fatalf("before the end: %d subscriptions, want 1", n)
	}
	// when the membership ends
	w.append(1, eventstore.Exact(0), subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
		By: subscription.ByCustomer, EndedAt: memberSince.AddDate(0, 1, 0)})
	// then the cache keeps its answer while the version holds, and drops it when the version moves
	if n := ask(); n != 1 {
		t.Fatalf("same version: %d subscriptions, want the cached 1", n)
	}
	version.Store(2)
	if n := ask(); n != 0 {
		t.Fatalf("new version: %d subscriptions, want 0", n)
	}
}
