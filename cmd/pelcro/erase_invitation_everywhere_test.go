package main

import (
	"slices"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// seatEmails lists the addresses of the subscription's live seats as this process's commands see them.
func seatEmails(t *testing.T, w *eraseWorld, id int64) []string {
	t.Helper()
	s, err := commands.Subscriptions{Store: w.deps.EventStore}.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, m := range s.Seats.Members {
		emails = append(emails, m.Email)
	}
	return emails
}

// membershipInviting registers the owner at ownerEmail, subscribes them to the membership plan and invites
// invitees to its seats, each step projected.
func (w *eraseWorld) membershipInviting(t *testing.T, ownerEmail string, invitees ...string) (int64, commands.CreatedSubscription) {
	t.Helper()
	owner := w.registerOnSite(t, ownerEmail)
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	seats := commands.Subscriptions{Store: w.deps.EventStore}
	if _, err := seats.InviteMembers(t.Context(), env(), w.target(owner), created.SubscriptionID, invitees); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	return owner, created
}

// TestAnErasedInvitationIsForgottenByAProcessThatFoldedItBefore: a long-running process (pelcro serve) keeps
// the subscriptions it folded; the erasure of an invitee, run by another process, must reach that state too:
// the address is no longer in the seats it reads, and may be invited again.
func TestAnErasedInvitationIsForgottenByAProcessThatFoldedItBefore(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given an owner's membership whose invitation the member claimed, folded by this process
	owner, created := w.membershipInviting(t, "owner.serves@example.com", "member.cached@example.com", "other.cached@example.com")
	seats := commands.Subscriptions{Store: w.deps.EventStore}
	member := w.registerOnSite(t, "member.cached@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	if got := seatEmails(t, w, created.SubscriptionID); !slices.Contains(got, "member.cached@example.com") {
		t.Fatalf("seats before the erasure: %q", got)
	}

	// when another process erases the member
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member: %v", err)
	}

	// then this process's state forgets the address, keeps the other one, and the address may be invited again
	got := seatEmails(t, w, created.SubscriptionID)
	if slices.Contains(got, "member.cached@example.com") || !slices.Contains(got, "other.cached@example.com") {
		t.Errorf("seats after the erasure: %q, want the member's address gone and the other one kept", got)
	}
	if _, err := seats.InviteMembers(ctx, env(), w.target(owner), created.SubscriptionID,
		[]string{"member.cached@example.com"}); err != nil {
		t.Errorf("invite the erased address again: %v", err)
	}
	// and erasing the member again marks the seat once only
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member again: %v", err)
	}
	events, err := w.deps.EventStore.ReadStream(ctx, "subscription-"+strconv.FormatInt(created.SubscriptionID, 10),
		eventstore.Forwards, eventstore.StreamStart(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, e := range events {
		if e.Type == "subscription.member_invitation_erased" {
			marks++
		}
	}
	if marks != 1 {
		t.Errorf("%d subscription.member_invitation_erased events after two erasures, want 1", marks)
	}
}
