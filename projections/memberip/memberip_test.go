package memberip

import (
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var t1 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

type step = projectiontest.Step

// created is subscription 7 of site 5, of the type and status given, listing ip_addresses.
func created(kind subscription.Type, status subscription.Status, ipAddresses ...string) step {
	return projectiontest.At(0, applyCreated, subscription.Created{SubscriptionID: 7, CustomerID: 42, AccountID: 1,
		SiteID: 5, Type: kind, Status: status, Quantity: 1, PeriodStart: t1, PeriodEnd: t1.AddDate(1, 0, 0),
		IPAddresses: ipAddresses, CreatedAt: t1})
}

func paid(revision uint64) step {
	return projectiontest.At(revision, standing(func(e subscription.PaymentSucceeded) int64 { return e.SubscriptionID }),
		subscription.PaymentSucceeded{SubscriptionID: 7, InvoiceID: 70, PaidAt: t1})
}

func failed(revision uint64) step {
	return projectiontest.At(revision, standing(func(e subscription.PaymentFailed) int64 { return e.SubscriptionID }),
		subscription.PaymentFailed{SubscriptionID: 7, InvoiceID: 71, Failures: 1, FailedAt: t1})
}

func ended(revision uint64, status subscription.Status) step {
	return projectiontest.At(revision, standing(func(e subscription.Ended) int64 { return e.SubscriptionID }),
		subscription.Ended{SubscriptionID: 7, Status: status, By: subscription.BySystem, EndedAt: t1})
}

var campus = []string{"81.2.69.0/24", "2a00:1450::/32"}

func TestMemberIPRanges(t *testing.T) {
	t.Parallel()
	active, incomplete := subscription.StatusActive, subscription.StatusIncomplete
	membership := subscription.TypeMembership
	cases := []struct {
		name       string
		given      []step
		when       step
		wantStatus string // "" when the subscription has no row
		wantRanges []string
	}{
		{"an active membership's ranges are indexed", nil, created(membership, active, campus...), "active", campus},
		{"a single address is a /32, listed once; private and malformed entries are left out", nil,
			created(membership, active, "81.2.69.160", "81.2.69.160/32", "10.0.0.0/8", "81.2.69"), "active",
			[]string{"81.2.69.160/32"}},
		{"a membership waiting for 3-D Secure grants nothing yet", nil, created(membership, incomplete, campus...),
			"incomplete", nil},
		{"its payment indexes its ranges", []step{created(membership, incomplete, campus...)}, paid(1), "active", campus},
		{"a failed renewal keeps access while dunning runs", []step{created(membership, active, campus...)}, failed(2),
			"past_due", campus},
		{"the end takes the ranges out", []step{created(membership, active, campus...)},
			ended(3, subscription.StatusCanceled), "canceled", nil},
		{"an unpaid membership paid again is back", []step{created(membership, active, campus...),
			ended(3, subscription.StatusUnpaid)}, paid(4), "active", campus},
		{"a canceled one stays out when a late payment arrives", []step{created(membership, active, campus...),
			ended(3, subscription.StatusCanceled)}, paid(4), "canceled", nil},
		{"an event older than the row changes nothing", []step{created(membership, active, campus...),
			ended(3, subscription.StatusCanceled)}, paid(2), "canceled", nil},
		{"a regular subscription has no row", nil, created(subscription.TypeRegular, active), "", nil},
		{"nor do its later events", []step{created(subscription.TypeRegular, active)}, ended(1, subscription.StatusCanceled),
			"", nil},
		{"nor a membership without ranges", nil, created(membership, active), "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the subscription stands as folded once, and only a running one has its ranges indexed
			var status []string
			if err := db.SelectContext(t.Context(), &status,
				`SELECT status FROM member_ip_subscriptions WHERE subscription_id = 7`); err != nil {
				t.Fatal(err)
			}
			if want := slices.DeleteFunc([]string{tc.wantStatus}, func(s string) bool { return s == "" }); !slices.Equal(status, want) {
				t.Errorf("status %v, want %v", status, want)
			}
			var ranges []string
			if err := db.SelectContext(t.Context(), &ranges, `SELECT ip_range::text FROM member_ip_ranges
				WHERE subscription_id = 7 AND site_id = 5 ORDER BY family(ip_range), ip_range`); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ranges, tc.wantRanges) {
				t.Errorf("ranges %v, want %v", ranges, tc.wantRanges)
			}
		})
	}
}
