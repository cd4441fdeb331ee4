package mail

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// invitation is one projected MemberInvited: a seat of a subscription on a site, at an address, some time
// after the first invitation of the scenario.
type invitation struct {
	subscription, site int64
	email              string
	after              time.Duration
}

var victim = "victim@example.com"

// TestInvitationMailsToOneAddressStopAtFiveAnHour: the owner of a free membership could invite, remove and
// invite the same address again and again, one mail each time. Like the other mails (one-time tokens, 5 an
// hour), at most mail.InvitationsPerHour invitation mails go to one address of a site within an hour; the
// invitations past it are recorded (the seat exists and can be claimed) but mail nobody.
func TestInvitationMailsToOneAddressStopAtFiveAnHour(t *testing.T) {
	t.Parallel()
	five := func(subscriptionID int64) []invitation {
		var out []invitation
		for i := range 5 {
			out = append(out, invitation{subscriptionID, 7, victim, time.Duration(i) * time.Minute})
		}
		return out
	}
	cases := []struct {
		name   string
		sent   []invitation
		then   invitation
		mailed bool
	}{
		{"a sixth invitation of the address within the hour mails nobody",
			five(9), invitation{9, 7, victim, 10 * time.Minute}, false},
		{"just before the hour after the first, still nobody",
			five(9), invitation{9, 7, victim, time.Hour - time.Second}, false},
		{"an hour after the first, the address is mailed again",
			five(9), invitation{9, 7, victim, time.Hour}, true},
		{"another subscription of the site does not start the count again",
			five(9), invitation{10, 7, victim, 10 * time.Minute}, false},
		{"another address is unaffected",
			five(9), invitation{9, 7, "other@example.com", 10 * time.Minute}, true},
		{"the same address on another site is unaffected",
			five(9), invitation{9, 8, victim, 10 * time.Minute}, true},
		{"a fifth invitation is still mailed",
			five(9)[:4], invitation{10, 7, victim, 10 * time.Minute}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the invitations already mailed (each seat removed before the next: a new member id)
			db := projectiontest.ReadModels(t)
			addSite(t, db, 7, "Campus", "")
			addSite(t, db, 8, "Other campus", "")
			for i, inv := range tc.sent {
				project(t, db, invited(inv, int64(i+1)))
			}
			// when the next invitation is projected
			e := invited(tc.then, int64(len(tc.sent)+1))
			project(t, db, e)
			// then it is mailed, or not, and never more than five a site's address within the hour
			var n int
			if err := db.Get(&n, `SELECT count(*) FROM mail_outbox WHERE id = $1`, e.ID); err != nil {
				t.Fatal(err)
			}
			if got := n == 1; got != tc.mailed {
				t.Errorf("mailed = %v, want %v", got, tc.mailed)
			}
		})
	}
}

// TestARedeliveredInvitationAtTheLimitKeepsItsMail: the fifth mail, its event delivered again, does not count
// itself as a sixth.
func TestARedeliveredInvitationAtTheLimitKeepsItsMail(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	addSite(t, db, 7, "Campus", "")
	var events []projections.Event[subscription.MemberInvited]
	for i := range 5 {
		events = append(events, invited(invitation{9, 7, victim, time.Duration(i) * time.Minute}, int64(i+1)))
		project(t, db, events[i])
	}
	project(t, db, events[4])
	queued, err := mail.List(t.Context(), db, mail.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 5 || queued[0].ID != events[4].ID {
		t.Errorf("%d messages queued, newest %v, want 5, newest %v", len(queued), queued[0].ID, events[4].ID)
	}
}

func invited(inv invitation, memberID int64) projections.Event[subscription.MemberInvited] {
	return projections.Event[subscription.MemberInvited]{
		Envelope: projections.Envelope{ID: uuid.New(), Stream: "subscription-9", Revision: uint64(memberID)},
		Data: subscription.MemberInvited{SubscriptionID: inv.subscription, MemberID: memberID, OwnerID: 42,
			SiteID: inv.site, Email: inv.email, InvitedAt: issuedAt.Add(inv.after)}}
}

func project(t *testing.T, db *sqlx.DB, e projections.Event[subscription.MemberInvited]) {
	t.Helper()
	projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return queueInvitation(ctx, tx, e) })
}
