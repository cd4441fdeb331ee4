package main

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
)

// TestInvitingAndRemovingAnAddressAgainAndAgainMailsItFiveTimesAnHour is the audit's case, end to end: the
// owner of a campus membership invites an address and removes its seat, six times in a row. Every seat is
// given, yet the address gets at most mail.InvitationsPerHour mails; another address is mailed as before.
func TestInvitingAndRemovingAnAddressAgainAndAgainMailsItFiveTimesAnHour(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given an owner of the example's campus membership
	owner := w.registerOnSite(t, "owner.spammer@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	seats := commands.Subscriptions{Store: w.deps.EventStore}
	// when they invite the victim and remove the seat, six times, then invite someone else
	for member := int64(1); member <= 6; member++ {
		if _, err := seats.InviteMembers(ctx, env(), w.target(owner), created.SubscriptionID,
			[]string{"victim@example.com"}); err != nil {
			t.Fatalf("invitation %d: %v", member, err)
		}
		if _, err := seats.RemoveMember(ctx, env(), w.target(owner), created.SubscriptionID, member); err != nil {
			t.Fatalf("removal %d: %v", member, err)
		}
	}
	if _, err := seats.InviteMembers(ctx, env(), w.target(owner), created.SubscriptionID,
		[]string{"other@example.com"}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	// then the victim got five mails, the other address its one, and the seventh seat was given all the same
	mailed := func(to string) (n int) {
		t.Helper()
		if err := w.deps.ReadModels.Get(&n, `SELECT count(*) FROM mail_outbox WHERE kind = $1 AND recipient = $2`,
			mail.KindMembership, to); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := mailed("victim@example.com"); got != mail.InvitationsPerHour {
		t.Errorf("victim mailed %d times, want %d", got, mail.InvitationsPerHour)
	}
	if got := mailed("other@example.com"); got != 1 {
		t.Errorf("other address mailed %d times, want 1", got)
	}
	var seatsGiven int
	if err := w.deps.ReadModels.Get(&seatsGiven, `SELECT count(*) FROM membership_seats WHERE subscription_id = $1`,
		created.SubscriptionID); err != nil {
		t.Fatal(err)
	}
	if seatsGiven != 7 {
		t.Errorf("%d seats given, want 7", seatsGiven)
	}
}
