package commands_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// membershipOf seeds a membership subscription of customer 42 seating capacity members.
func membershipOf(t *testing.T, w *subscriptionWorld, capacity int64) int64 {
	t.Helper()
	return w.subscribe(t, 42, 0, func(n *subscription.New) {
		n.Terms.Membership, n.Terms.MemberSeatCapacity = true, capacity
	})
}

func TestConcurrentInvitationsNeverExceedTheCapacity(t *testing.T) {
	t.Parallel()
	// given a membership seating three members
	w := newSubscriptionWorld(t)
	id := membershipOf(t, w, 3)
	// when ten invitations of one address each run at once
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.subs.InviteMembers(t.Context(), newEnv(), who(42), id,
				[]string{fmt.Sprintf("member%d@example.com", i)})
		})
	}
	wg.Wait()
	// then exactly three got a seat and every other one was refused for the capacity (or gave up on the
	// contention, which appends nothing either)
	invited := 0
	for _, err := range errs {
		var p subscription.Problems
		switch {
		case err == nil:
			invited++
		case errors.As(err, &p) && p[0].Rule == subscription.RuleSeatCapacity:
		case errors.Is(err, eventstore.ErrWrongExpectedVersion):
		default:
			t.Errorf("invite: %v", err)
		}
	}
	if seats := len(w.subscription(t, id).Seats.Members); invited != 3 || seats != 3 {
		t.Fatalf("%d invitations succeeded and the subscription has %d seats, want 3 and 3", invited, seats)
	}
}

func TestSeatCommands(t *testing.T) {
	t.Parallel()
	// given a membership of customer 42 with two pending seats
	w := newSubscriptionWorld(t)
	id := membershipOf(t, w, 5)
	if _, err := w.subs.InviteMembers(t.Context(), newEnv(), who(42), id, []string{"ann@example.com", "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	// when another customer invites or removes, then the subscription is not theirs
	if _, err := w.subs.InviteMembers(t.Context(), newEnv(), who(43), id, []string{"cy@example.com"}); !errors.Is(err, subscription.ErrNotFound) {
		t.Errorf("invite by another customer: %v, want ErrNotFound", err)
	}
	if _, err := w.subs.RemoveMember(t.Context(), newEnv(), who(43), id, 1); !errors.Is(err, subscription.ErrNotFound) {
		t.Errorf("remove by another customer: %v, want ErrNotFound", err)
	}
	// when bob claims his seat and the owner removes ann's
	if _, err := w.subs.ClaimSeat(t.Context(), newEnv(), id, "BOB@example.com", 77); err != nil {
		t.Fatal(err)
	}
	if _, err := w.subs.RemoveMember(t.Context(), newEnv(), who(42), id, 1); err != nil {
		t.Fatal(err)
	}
	// then bob alone holds a seat, active, as customer 77
	want := []subscription.Member{{ID: 2, Email: "bob@example.com", Status: subscription.SeatActive, CustomerID: 77}}
	if got := w.subscription(t, id).Seats.Members; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("seats = %+v, want %+v", got, want)
	}
}

func TestOwnerCannotInviteTheirOwnAddress(t *testing.T) {
	t.Parallel()
	// given a membership whose owner registered as owner@example.com
	w := newSubscriptionWorld(t)
	ownerID := w.register(t, "owner@example.com", "")
	id := w.subscribe(t, ownerID, 0, func(n *subscription.New) {
		n.Terms.Membership, n.Terms.MemberSeatCapacity = true, 3
	})
	// when the owner invites a member and, spelled otherwise, themself
	_, err := w.subs.InviteMembers(t.Context(), newEnv(), who(ownerID), id,
		[]string{"ann@example.com", " Owner@Example.COM"})
	// then the owner's address is refused by its index, and no seat is taken
	var p subscription.Problems
	if !errors.As(err, &p) || len(p) != 1 || p[0].Field != "invitation_emails.1" || p[0].Rule != subscription.RuleOwner {
		t.Fatalf("invite = %v, want invitation_emails.1 refused as the owner's", err)
	}
	if seats := w.subscription(t, id).Seats.Members; len(seats) != 0 {
		t.Fatalf("seats = %+v, want none", seats)
	}
}
