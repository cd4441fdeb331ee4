package subscription_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// onAddress is created() shipped to address 31, with a renewal phase there and a change to it awaiting 3-D
// Secure.
func onAddress() []subscription.Event {
	c := created()
	c.AddressID = 31
	change := subscription.Change{Terms: yearly, Quantity: 1, AddressID: 31, PeriodAmount: 10000}
	return []subscription.Event{c,
		subscription.PhaseAdded{SubscriptionID: 1, Phase: subscription.Phase{Terms: monthly, Quantity: 2, AddressID: 31}, AddedAt: t0},
		subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: t0, Purchase: subscription.Purchase{
			Kind: subscription.PurchaseChange, InvoiceID: 502, Change: &change, At: t0}}}
}

func TestChangeAddress(t *testing.T) {
	t.Parallel()
	moved := subscription.AddressChanged{SubscriptionID: 1, AddressID: 32, ChangedAt: t1}
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: t0}
	cases := []struct {
		name  string
		given []subscription.Event
		to    int64
		want  []subscription.Event
		err   error
	}{
		{"a running subscription moves", onAddress(), 32, []subscription.Event{moved}, nil},
		{"one wholly on the address already has nothing to move", onAddress(), 31, nil, nil},
		{"one with no address takes it", []subscription.Event{created()}, 32, []subscription.Event{moved}, nil},
		{"an ended one keeps its address", append(onAddress(), ended), 32, nil, nil},
		{"an unknown one is not found", nil, 32, nil, subscription.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the subscription, when it moves onto another address, then it is recorded or not
			outcome := spec.Given(tc.given...).When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.ChangeAddress(s, tc.to, t1)
			})
			if tc.err != nil {
				outcome.ThenError(t, tc.err)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

func TestAMoveTakesEveryAddressTheSubscriptionHolds(t *testing.T) {
	t.Parallel()
	// given a subscription on address 31 with a phase and an awaited change there
	before := fold(onAddress()...)
	// when it moves onto address 32
	after := subscription.Evolve(before, subscription.AddressChanged{SubscriptionID: 1, AddressID: 32, ChangedAt: t1})
	// then its period, its phase and its awaited change are on 32, and the state it moved from is untouched
	if after.AddressID != 32 || after.Phases[0].AddressID != 32 || after.Awaiting.Change.AddressID != 32 {
		t.Fatalf("after the move: %d, %+v, %+v", after.AddressID, after.Phases, after.Awaiting.Change)
	}
	if before.Phases[0].AddressID != 31 || before.Awaiting.Change.AddressID != 31 {
		t.Fatalf("the move changed the state before it: %+v, %+v", before.Phases, before.Awaiting.Change)
	}
	if after.UsesAddress(31) || !after.UsesAddress(32) || !before.UsesAddress(31) {
		t.Fatal("UsesAddress does not follow the move")
	}
	// and the plans whose countries a move checks are its own, its phase's and its awaited change's
	if got := after.PlanIDs(); !slices.Equal(got, []int64{4051, 4051, 4053}) {
		t.Fatalf("PlanIDs() = %v", got)
	}
}

func TestUsesAddress(t *testing.T) {
	t.Parallel()
	phaseOnly := created()
	phaseOnly.AddressID = 30
	cases := []struct {
		name   string
		events []subscription.Event
		want   bool
	}{
		{"its own address", onAddress()[:1], true},
		{"a scheduled phase's", []subscription.Event{phaseOnly, onAddress()[1]}, true},
		{"an awaited change's", []subscription.Event{phaseOnly, onAddress()[2]}, true},
		{"another address", []subscription.Event{phaseOnly}, false},
		{"once canceled, none", append(onAddress(), subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: t1}), false},
		{"unpaid, it may be paid again", append(onAddress(), subscription.Ended{SubscriptionID: 1, Status: subscription.StatusUnpaid, EndedAt: t1}), true},
		{"no subscription", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the subscription's events, then it uses address 31 or not
			if got := fold(tc.events...).UsesAddress(31); got != tc.want {
				t.Fatalf("UsesAddress(31) = %v, want %v", got, tc.want)
			}
		})
	}
}
