package operator_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// TestAMembersStreamsLeaveOutTheOwnersSubscription: a member's seat is decided on the owner's subscription
// stream, which also holds the owner's payments and every other member's invitation (their email among
// its personal fields). The member's timeline and raw events read the customer_streams index, stream by
// stream, so that stream stays the owner's alone there; the member's seats show in the as-of view, which
// folds the stream into the member's resource only (TestCustomerAsOfShowsTheMembersSeatsAsTheyWereThen).
func TestAMembersStreamsLeaveOutTheOwnersSubscription(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory() // Ann (7) and Bob (8) register
	now := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	// given Bob's membership, paid, of which Ann claims seat 1 and Carol is invited to seat 2
	w.append("subscription-90", "customer:8", "req-s1", subscription.Created{SubscriptionID: 90, CustomerID: 8,
		AccountID: 1, SiteID: annSite, Type: subscription.TypeMembership, Status: subscription.StatusActive,
		Terms: subscription.Terms{PlanID: 5, AutoRenew: true, MemberSeatCapacity: 3}, Quantity: 1,
		PeriodStart: now, PeriodEnd: now.AddDate(0, 1, 0), CreatedAt: now})
	w.append("subscription-90", "customer:8", "req-s2", subscription.MemberInvited{SubscriptionID: 90, MemberID: 1,
		OwnerID: 8, SiteID: annSite, Email: annEmail, InvitedAt: now},
		subscription.MemberInvited{SubscriptionID: 90, MemberID: 2, OwnerID: 8, SiteID: annSite,
			Email: "carol@example.com", InvitedAt: now})
	w.append("subscription-90", "system", "req-s3", subscription.MemberActivated{SubscriptionID: 90, MemberID: 1,
		CustomerID: annID, ActivatedAt: now})
	w.project()

	cases := []struct {
		name       string
		customerID int64
		want       int // events of subscription-90 in each
	}{
		{"the member's", annID, 0},
		{"the owner's", 8, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// when the operator reads the customer's timeline and raw events, revealed
			timeline, err := w.op.Timeline(t.Context(), c.customerID, time.Time{}, 500, "")
			if err != nil {
				t.Fatal(err)
			}
			events, err := w.op.CustomerEvents(t.Context(), c.customerID, "", 500, true)
			if err != nil {
				t.Fatal(err)
			}
			// then the subscription's events are there for the owner only
			var inTimeline, inEvents int
			for _, e := range timeline.Entries {
				if e.Stream == "subscription-90" {
					inTimeline++
				}
			}
			for _, e := range events.Entries {
				if e.Stream == "subscription-90" {
					inEvents++
				}
			}
			if inTimeline != c.want || inEvents != c.want {
				t.Errorf("subscription-90 in the timeline %d times, in the events %d; want %d in both",
					inTimeline, inEvents, c.want)
			}
		})
	}
	// and the member's seat is in her resource as of now
	ann, err := w.op.CustomerAsOf(t.Context(), annID, operator.Instant{Time: tick(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ann.Memberships) != 1 || ann.Memberships[0].ID != 1 {
		t.Errorf("Ann's memberships as of now = %+v, want seat 1", ann.Memberships)
	}
}
