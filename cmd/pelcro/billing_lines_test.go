package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestBillingRunLinesPrintInstantsThatCanBeFedBack: every instant `billing run` prints, an item's due
// instant a fraction of a second after the whole second included, reads back with --until's parser as the
// very instant, so a run until a printed instant does that item; whole seconds print as before.
func TestBillingRunLinesPrintInstantsThatCanBeFedBack(t *testing.T) {
	t.Parallel()
	due := time.Date(2027, 1, 10, 10, 3, 23, 123456789, time.UTC)
	whole := time.Date(2027, 1, 10, 10, 3, 23, 0, time.UTC)
	cases := []struct {
		name, line string
		at         time.Time
		want       string
	}{
		{"an item due within a second",
			actionLine(commands.BillingAction{SubscriptionID: 5, Kind: subscription.DueCharge, At: due, Outcome: "payment_failed"}),
			due, "2027-01-10T10:03:23.123456789Z subscription 5 charge: payment_failed"},
		{"an item due on the second",
			actionLine(commands.BillingAction{SubscriptionID: 5, Kind: subscription.DueCharge, At: whole, Outcome: "payment_failed"}),
			whole, "2027-01-10T10:03:23Z subscription 5 charge: payment_failed"},
		{"an order past its deadline", orderLine(order.State{ID: 8, PayBy: due, InvoiceID: 9}), due,
			"2027-01-10T10:03:23.123456789Z order 8 expiry: "},
		{"the summary", summaryLine(due, billing.Summary{}), due, "billed until 2027-01-10T10:03:23.123456789Z: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if !strings.HasPrefix(c.line, c.want) {
				t.Fatalf("line %q, want it to start %q", c.line, c.want)
			}
			printed := strings.Fields(c.line)[0]
			if strings.HasPrefix(c.line, "billed until ") {
				printed = strings.TrimSuffix(strings.Fields(c.line)[2], ":")
			}
			if at, err := time.Parse(time.RFC3339, printed); err != nil || !at.Equal(c.at) {
				t.Errorf("--until %s reads as %v (%v), want %v", printed, at, err, c.at)
			}
		})
	}
}
