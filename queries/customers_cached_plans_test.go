package queries_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestCustomerEmbedsACatalogPlanChangeFromTheCacheOnceProjected: with Plans set to the process's catalog
// cache (as `pelcro serve` wires it), the Customer embeds the same plan as read from the database, and a
// plan changed by a new import is embedded as soon as the catalog projections applied it.
func TestCustomerEmbedsACatalogPlanChangeFromTheCacheOnceProjected(t *testing.T) {
	t.Parallel()
	// given the fixture catalog projected, a customer subscribed to its paid plan, and a cache over the
	// catalog projections' version
	env := catalogtest.New(t)
	runner := env.Start()
	env.Project(runner, catalogtest.Catalog())
	db := projectCustomersWith(t, env, customer.Events, nil, map[string][]customer.Event{
		"customer-7": {customer.Registered{CustomerID: 7, AccountID: 1, SiteID: catalogtest.SiteID,
			Email: "ann@example.com", Method: "password", RegisteredAt: registeredAt}},
	})
	if _, err := db.Exec(`INSERT INTO subscriptions (id, customer_id, account_id, site_id, type, status, plan_id,
		terms, quantity, auto_renew, cancel_mode, cancel_reason, current_period_start, current_period_end,
		address_id, phases, billing, campaign_key, metadata, domains, ip_addresses, latest_invoice, gift_code,
		gift_recipient_email, gift_recipient_first_name, gift_recipient_last_name, gift_message, is_paid,
		is_redeemed, created_at, updated_at, state, revision)
		VALUES (41, 7, 1, $1, 'standard', 'active', $2, $3, 1, true, '', '', $4, $4, 0, '[]', 'charge_automatically',
		'', '{}', '[]', '[]', 0, '', '', '', '', '', true, false, $4, $4, '{}', 0)`,
		catalogtest.SiteID, catalogtest.PaidPlanID,
		fmt.Sprintf(`{"plan_id":%d,"amount":500,"currency":"usd"}`, catalogtest.PaidPlanID), registeredAt); err != nil {
		t.Fatalf("insert subscription: %v", err)
	}
	cached := queries.NewCachedCatalog(queries.NewCatalog(db),
		func() uint64 { return runner.DataVersion(catalogprojections.Names()...) }, func([]int64) (uint64, uint64) { return 0, 0 })
	fromCache, fromDB := queries.Customers{DB: db, Plans: cached}, queries.Customers{DB: db}
	embedded := func(c queries.Customers) (plan json.RawMessage, amount int64) {
		t.Helper()
		got, err := c.Customer(t.Context(), 7)
		if err != nil || len(got.Subscriptions) != 1 {
			t.Fatalf("customer: %d subscriptions, %v", len(got.Subscriptions), err)
		}
		var p struct {
			Amount int64 `json:"amount"`
		}
		if err := json.Unmarshal(got.Subscriptions[0].Plan, &p); err != nil {
			t.Fatalf("embedded plan %s: %v", got.Subscriptions[0].Plan, err)
		}
		return got.Subscriptions[0].Plan, p.Amount
	}
	planFromDB := func() string { plan, _ := embedded(fromDB); return string(plan) }
	if cachedPlan, amount := embedded(fromCache); amount != 500 || string(cachedPlan) != planFromDB() {
		t.Fatalf("embedded from the cache: %s (amount %d), want the database's %s", cachedPlan, amount, planFromDB())
	}

	// when the plan's amount changes in a new import and the catalog projections apply it
	changed := catalogtest.Catalog()
	changed.Products[0].Plans[1].Amount = 750
	env.Project(runner, changed)

	// then the next Customer embeds the new amount, as read from the database
	if cachedPlan, amount := embedded(fromCache); amount != 750 || string(cachedPlan) != planFromDB() {
		t.Fatalf("embedded from the cache after the change: %s (amount %d), want 750 as the database's %s",
			cachedPlan, amount, planFromDB())
	}
}
