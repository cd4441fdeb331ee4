package commands_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// keptKeys is a PartEraser that finds every part's key and shreds nothing: these tests look at the stream.
type keptKeys struct{}

func (keptKeys) ErasePart(context.Context, string) (bool, error) { return true, nil }

func TestErasingARemovedSeatsInvitationTwiceAppendsOneErasure(t *testing.T) {
	t.Parallel()
	// given a membership of customer 42 whose seat 1 was removed
	w := newSubscriptionWorld(t)
	id := membershipOf(t, w, 5)
	if _, err := w.subs.InviteMembers(t.Context(), newEnv(), who(42), id, []string{"ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.subs.RemoveMember(t.Context(), newEnv(), who(42), id, 1); err != nil {
		t.Fatal(err)
	}
	// when its invitation is erased twice, by two commands (an erasure run again later)
	for range 2 {
		if _, err := w.subs.EraseInvitation(t.Context(), newEnv(), keptKeys{}, id, 1); err != nil {
			t.Fatal(err)
		}
	}
	// then the stream holds one erasure
	types := streamTypes(t, w.store, fmt.Sprint("subscription-", id))
	erasures := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t != "subscription.member_invitation_erased" })
	if len(erasures) != 1 {
		t.Fatalf("stream %v holds %d erasures, want 1", types, len(erasures))
	}
}
