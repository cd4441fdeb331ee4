package commands_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// Two runs of one create under one Idempotency-Key (a retry that took over an expired lease) share the
// command id. Whichever records the creation first, the state this process caches is the log's: the later
// run's clock must not be cached over it, or the billing clock would decide renewals on a period the log
// never held.
func TestTwinRunsOfACreateCacheTheLogsState(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	id, err := w.subs.IDs.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	monthly, _ := w.subs.Catalog.Plan(t.Context(), 1, 4051)
	n := subscription.New{SubscriptionID: id, CustomerID: 1, AccountID: 1, SiteID: 1, Terms: monthly.Terms,
		Quantity: 1, PeriodAmount: monthly.Terms.Amount, Paid: true}
	env := commands.Envelope{CommandID: "idempotency-key-of-a-retried-create"}

	// Given the twin that took over has recorded the creation at its own time.
	if _, err := w.subs.RecordCreation(t.Context(), env, n, false); err != nil {
		t.Fatal(err)
	}
	// When the first run, resumed a minute later, records it under the id it found new.
	w.at(subscribedAt.Add(time.Minute))
	if _, err := w.subs.RecordCreation(t.Context(), env, n, true); err != nil {
		t.Fatal(err)
	}

	// Then the cached period is the log's, which starts when the twin recorded it.
	cached, ok := commands.CachedSubscription(w.store, id)
	if !ok {
		t.Fatal("no cached state for the subscription")
	}
	if !cached.PeriodStart.Equal(subscribedAt) {
		t.Fatalf("cached period starts %v, the log's at %v", cached.PeriodStart, subscribedAt)
	}
}
