package main

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// TestAnOldInvitationNeverClaimedStaysBlankAfterARebuild: an invitation sealed under the subscription's key
// stays readable in the log, so a rebuild of the seats read model must not bring its address back once its
// invitee was erased (nor let whoever registers that address next claim the seat).
func TestAnOldInvitationNeverClaimedStaysBlankAfterARebuild(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given a member registered at an address, and an invitation of that address sealed the old way, never
	// claimed
	owner := w.registerOnSite(t, "owner.rebuilds@example.com")
	member := w.registerOnSite(t, "never.claimed@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	legacy := aggregates.NewRegistry()
	aggregates.MustRegister[legacyMemberInvited](legacy, "subscription.member_invited")
	old := personaldata.NewStore(w.deps.postgresStore, w.deps.DataKeys, personaldata.Config{
		Subjects: commands.PersonalDataStreams, Events: legacy})
	stream := "subscription-" + strconv.FormatInt(created.SubscriptionID, 10)
	if _, err := old.Append(ctx, stream, eventstore.Any(), personaldatatest.Encode(t, legacy,
		legacyMemberInvited{SubscriptionID: created.SubscriptionID, MemberID: 1, OwnerID: owner, SiteID: eraseSite,
			Email: "never.claimed@example.com", InvitedAt: time.Now()})...); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)

	// when the member is erased and every projection rebuilt
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member: %v", err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	if out, errOut, err := runPelcro(t, "--database-url", w.cfg.DatabaseURL, "--eventstore-url", "",
		"projections", "rebuild", "--all"); err != nil {
		t.Fatalf("rebuild: %v\n%s\n%s", err, out, errOut)
	}

	// then the seats read model holds the address no more, and nobody can claim the seat through it
	traces(t, "the read models after a rebuild", w.readModels(), []string{"never.claimed@example.com"},
		[]string{"owner.rebuilds@example.com"})
	if got := seatEmails(t, w, created.SubscriptionID); slices.Contains(got, "never.claimed@example.com") {
		t.Errorf("seats after the erasure: %q, want the address gone", got)
	}
}
