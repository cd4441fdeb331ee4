package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// TestErasingAMemberLeavesTheirInvitedAddressNowhereReadable: the owner wrote the member's address into the
// owner's subscription stream when inviting it; erasing the member must make that address unreadable in the
// log as every tool opens it (operator timeline, raw events with reveal, rebuilds) and in every read model,
// while the owner's own data and the other invitees' addresses stay.
func TestErasingAMemberLeavesTheirInvitedAddressNowhereReadable(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorldOn(t, exampleCatalogStore(t, false)) // registering claims the seat on a site that does not verify emails
	// given an owner's membership inviting a member (who registers, claiming the seat, and moves to another
	// address) and someone else who never registers
	owner, created := w.membershipInviting(t, "owner.keeps@example.com", "member.goes@example.com", "other.stays@example.com")
	seats := commands.Subscriptions{Store: w.deps.EventStore}
	member := w.registerOnSite(t, "member.goes@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg) // the seat claim
	w.changeEmail(t, member, "member.moved@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	// and the owner invites the member's new address too, which stays pending
	if _, err := seats.InviteMembers(ctx, env(), w.target(owner), created.SubscriptionID,
		[]string{"member.moved@example.com"}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	gone, kept := []string{"member.goes@example.com", "member.moved@example.com"}, []string{"owner.keeps@example.com", "other.stays@example.com"}
	traces(t, "the decoded log before the erasure", w.decodedLog(), nil, append(gone, kept...))

	// when the member is erased
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member: %v", err)
	}

	// then neither the log, as any process opens it, nor the read models hold their addresses, before and
	// after a rebuild of every projection; the owner's data and the other invitee's address stay
	runProjectionsUntilCaughtUp(t, w.cfg)
	traces(t, "the decoded log", w.decodedLog(), gone, kept)
	traces(t, "the read models", w.readModels(), gone, kept)
	cli := func(args ...string) string {
		t.Helper()
		out, errOut, err := runPelcro(t, append([]string{"--database-url", w.cfg.DatabaseURL, "--eventstore-url", ""}, args...)...)
		if err != nil {
			t.Fatalf("pelcro %v: %v\n%s\n%s", args, err, out, errOut)
		}
		return out
	}
	stream := "subscription-" + strconv.FormatInt(created.SubscriptionID, 10)
	for _, args := range [][]string{{"events", "stream", stream, "--reveal"}, {"events", "tail", "--reveal", "--limit", "500"},
		{"audit", "customer", strconv.FormatInt(owner, 10)}} {
		traces(t, strings.Join(args, " "), cli(args...), gone, nil)
	}
	traces(t, "the owner's subscription stream", cli("events", "stream", stream, "--reveal"), gone, kept[1:])
	cli("projections", "rebuild", "--all")
	traces(t, "the read models after a rebuild", w.readModels(), gone, kept)
	var seatsLeft int
	if err := w.deps.ReadModels.Get(&seatsLeft, `SELECT count(*) FROM membership_seats WHERE subscription_id = $1
		AND removed_at IS NULL`, created.SubscriptionID); err != nil || seatsLeft != 3 {
		t.Errorf("%d seats after the rebuild (%v), want all three", seatsLeft, err)
	}
}

// inviteTheOldWay appends to the owner's subscription an invitation of email sealed as before seats had keys
// of their own (legacyMemberInvited), as its first seat.
func (w *eraseWorld) inviteTheOldWay(t *testing.T, owner, subscriptionID int64, email string) {
	t.Helper()
	legacy := aggregates.NewRegistry()
	aggregates.MustRegister[legacyMemberInvited](legacy, "subscription.member_invited")
	old := personaldata.NewStore(w.deps.postgresStore, w.deps.DataKeys, personaldata.Config{
		Subjects: commands.PersonalDataStreams, Events: legacy})
	stream := "subscription-" + strconv.FormatInt(subscriptionID, 10)
	if _, err := old.Append(t.Context(), stream, eventstore.Any(), personaldatatest.Encode(t, legacy,
		legacyMemberInvited{SubscriptionID: subscriptionID, MemberID: 1, OwnerID: owner, SiteID: eraseSite,
			Email: email, InvitedAt: time.Now()})...); err != nil {
		t.Fatal(err)
	}
}

// legacyMemberInvited is subscription.member_invited as it was sealed before seats had keys of their own:
// its address under the subscription's key.
type legacyMemberInvited struct {
	SubscriptionID int64     `json:"subscription_id"`
	MemberID       int64     `json:"member_id"`
	OwnerID        int64     `json:"owner_id"`
	SiteID         int64     `json:"site_id"`
	Email          string    `json:"email" personal:"true"`
	InvitedAt      time.Time `json:"invited_at"`
}

// TestErasingAMemberInvitedTheOldWayBlanksTheSeatAndKeepsTheOwnersStream: an invitation sealed under the
// subscription's key cannot be erased apart from the owner's data; the member's erasure blanks it in the
// read model, succeeds, and leaves the owner's stream as it was (docs/memberships.md).
func TestErasingAMemberInvitedTheOldWayBlanksTheSeatAndKeepsTheOwnersStream(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given an owner's membership whose invitation was sealed the old way, claimed by the member
	owner := w.registerOnSite(t, "owner.of.old@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	w.inviteTheOldWay(t, owner, created.SubscriptionID, "invited.long.ago@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	member := w.registerOnSite(t, "invited.long.ago@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	runProjectionsUntilCaughtUp(t, w.cfg)

	// when the member is erased
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member: %v", err)
	}

	// then the read models hold the address no more, and the owner's stream still does
	traces(t, "the read models", w.readModels(), []string{"invited.long.ago@example.com"}, []string{"owner.of.old@example.com"})
	traces(t, "the decoded log", w.decodedLog(), nil, []string{"invited.long.ago@example.com"})
}
