package main

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
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
	w.inviteTheOldWay(t, owner, created.SubscriptionID, "never.claimed@example.com")
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
