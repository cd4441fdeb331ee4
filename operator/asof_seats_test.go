package operator_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// TestCustomerAsOfShowsTheMembersSeatsAsTheyWereThen: a member's seats live on the owner's subscription
// stream, not on the member's; time travel must fold that stream up to the instant too, or the member's
// memberships read as they are now.
func TestCustomerAsOfShowsTheMembersSeatsAsTheyWereThen(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory() // Ann (7) and Bob (8) register
	now := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	// given Bob's membership, of which Ann claims seat 1
	w.append("subscription-90", "customer:8", "req-s1", subscription.Created{SubscriptionID: 90, CustomerID: 8,
		AccountID: 1, SiteID: annSite, Type: subscription.TypeMembership, Status: subscription.StatusActive,
		Terms: subscription.Terms{PlanID: 5, AutoRenew: true, MemberSeatCapacity: 3}, Quantity: 1,
		PeriodStart: now, PeriodEnd: now.AddDate(0, 1, 0), CreatedAt: now})
	w.append("subscription-90", "customer:8", "req-s2", subscription.MemberInvited{SubscriptionID: 90, MemberID: 1,
		OwnerID: 8, SiteID: annSite, Email: annEmail, InvitedAt: now})
	w.append("subscription-90", "system", "req-s3", subscription.MemberActivated{SubscriptionID: 90, MemberID: 1,
		CustomerID: annID, ActivatedAt: now})
	whileSeated := tick(t)
	// when Bob removes her seat, and then his subscription ends
	w.append("subscription-90", "customer:8", "req-s4", subscription.MemberRemoved{SubscriptionID: 90, MemberID: 1,
		RemovedAt: now.Add(time.Hour)})
	afterRemoval := tick(t)
	w.append("subscription-90", "system", "req-s5", subscription.Ended{SubscriptionID: 90,
		Status: subscription.StatusCanceled, By: subscription.BySystem, EndedAt: now.Add(2 * time.Hour)})
	w.project()

	// then, as of while she held it, Ann's resource shows the seat, active, of a running subscription
	then, err := w.op.CustomerAsOf(t.Context(), annID, operator.Instant{Time: whileSeated})
	if err != nil {
		t.Fatal(err)
	}
	if len(then.Memberships) != 1 || len(then.ExpiredMemberships) != 0 {
		t.Fatalf("as of while seated: memberships %+v, expired %+v; want seat 1 of 90 in memberships",
			then.Memberships, then.ExpiredMemberships)
	}
	if m := then.Memberships[0]; m.ID != 1 || m.Status != "active" {
		t.Errorf("as of while seated: membership = %+v, want seat 1, active", m)
	}
	// and the diff across the removal names the memberships that changed
	changes, err := w.op.Diff(t.Context(), annID, operator.Instant{Time: whileSeated}, operator.Instant{Time: afterRemoval})
	if err != nil {
		t.Fatal(err)
	}
	var changed bool
	for _, c := range changes {
		changed = changed || c.Field == "memberships"
	}
	if !changed {
		t.Errorf("diff across the removal = %+v, want memberships among the changes", changes)
	}
}
