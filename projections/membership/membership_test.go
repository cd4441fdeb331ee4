package membership

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var t1 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

type step = projectiontest.Step

var (
	invited = projectiontest.At(3, applyInvited, subscription.MemberInvited{SubscriptionID: 7, MemberID: 1,
		OwnerID: 42, SiteID: 5, Email: "ann@example.com", InvitedAt: t1})
	activated = projectiontest.At(4, applyActivated, subscription.MemberActivated{SubscriptionID: 7, MemberID: 1,
		CustomerID: 77, ActivatedAt: t1})
	removed = projectiontest.At(5, applyRemoved, subscription.MemberRemoved{SubscriptionID: 7, MemberID: 1,
		RemovedAt: t1})
	ownerErased  = projectiontest.At(6, applySubscriptionErased, subscription.Erased{SubscriptionID: 7, ErasedAt: t1})
	memberErased = projectiontest.At(9, applyCustomerErased, customer.Erased{CustomerID: 77, ErasedAt: t1})
	// invitationErased is the erasure of the invitee of seat 1, claimed or not.
	invitationErased = projectiontest.At(7, applyInvitationErased, subscription.MemberInvitationErased{
		SubscriptionID: 7, MemberID: 1, ErasedAt: t1})
)

// row is what the read model holds for seat 1 of subscription 7.
type row struct {
	Email    string `db:"email"`
	Status   string `db:"status"`
	Member   int64  `db:"member_customer_id"`
	Removed  bool   `db:"removed"`
	Revision int64  `db:"revision"`
}

func TestSeatRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		given []step
		when  step
		then  row
	}{
		{"an invitation is a pending seat", nil, invited, row{"ann@example.com", "pending", 0, false, 3}},
		{"a claim makes it the member's", []step{invited}, activated, row{"ann@example.com", "active", 77, false, 4}},
		{"a removal keeps the row, removed", []step{invited, activated}, removed, row{"ann@example.com", "active", 77, true, 5}},
		{"the owner's erasure blanks the address", []step{invited}, ownerErased, row{"", "pending", 0, false, 6}},
		{"the member's erasure blanks the address", []step{invited, activated}, memberErased, row{"", "active", 77, false, 4}},
		{"the invitee's erasure blanks a pending seat's address", []step{invited}, invitationErased,
			row{"", "pending", 0, false, 7}},
		{"the invitee's erasure blanks a removed seat's address", []step{invited, activated, removed}, invitationErased,
			row{"", "active", 77, true, 7}},
		{"an event older than the row changes nothing", []step{invited, activated, removed}, activated,
			row{"ann@example.com", "active", 77, true, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row reflects it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT email, status, member_customer_id,
				removed_at IS NOT NULL AS removed, revision FROM membership_seats WHERE subscription_id = 7 AND member_id = 1`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if got != tc.then {
				t.Fatalf("row = %+v, want %+v", got, tc.then)
			}
		})
	}
}
