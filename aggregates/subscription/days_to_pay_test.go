package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// TestDaysToPayKeepsToTheCatalogsBound: an invoice gives the account's days_until_due, the default when it
// sets none, and never more than the catalog lets an account set.
func TestDaysToPayKeepsToTheCatalogsBound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ days, want int }{
		{0, subscription.DefaultDaysUntilDue}, {-1, subscription.DefaultDaysUntilDue}, {14, 14},
		{catalog.MaxDaysUntilDue, catalog.MaxDaysUntilDue}, {catalog.MaxDaysUntilDue + 1, catalog.MaxDaysUntilDue},
	} {
		if got := subscription.DaysToPay(tc.days); got != tc.want {
			t.Errorf("DaysToPay(%d) = %d, want %d", tc.days, got, tc.want)
		}
	}
}
