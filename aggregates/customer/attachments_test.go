package customer_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// attachedAt is subscription id taking home() at.
func attachedAt(subscriptionID int64, at time.Time) customer.AddressAttached {
	return customer.AddressAttached{CustomerID: annID, AddressID: 31, SubscriptionID: subscriptionID, AttachedAt: at}
}

func TestAttachAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		given  []customer.Event
		attach customer.Attach
		want   []customer.Event
		err    error
	}{
		{"a subscription takes the address priced", []customer.Event{registered(), added(home())},
			customer.Attach{AddressID: 31, SubscriptionID: 9, Country: "CA", State: "QC"},
			[]customer.Event{attachedAt(9, now)}, nil},
		{"taking it again records it again, so it is recent again",
			[]customer.Event{registered(), added(home()), attachedAt(9, registerTime)},
			customer.Attach{AddressID: 31, SubscriptionID: 9, Country: "CA", State: "QC"},
			[]customer.Event{attachedAt(9, now)}, nil},
		{"an address moved since the sale was priced is refused", []customer.Event{registered(), added(home())},
			customer.Attach{AddressID: 31, SubscriptionID: 9, Country: "CA", State: "ON"}, nil, customer.ErrAddressMoved},
		{"an address the customer does not have is not found", []customer.Event{registered(), added(home())},
			customer.Attach{AddressID: 32, SubscriptionID: 9, Country: "CA", State: "QC"}, nil, customer.ErrAddressNotFound},
		{"an unknown customer is refused", nil, customer.Attach{AddressID: 31, SubscriptionID: 9}, nil,
			customer.ErrNotRegistered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the customer's events, when a subscription takes the address, then it is recorded or refused
			outcome := customers.Given(tc.given...).When(on(customer.AttachAddress, tc.attach))
			if tc.err != nil {
				outcome.ThenError(t, tc.err)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

func TestAttachmentsKeepTheLatestPerSubscription(t *testing.T) {
	t.Parallel()
	// given two subscriptions that took the address, one of them twice
	s := stateOf(registered(), added(home()), attachedAt(9, registerTime), attachedAt(10, registerTime),
		attachedAt(9, now))
	// then the address has one attachment per subscription, at the latest time, and only the latest is recent
	got := s.AttachedTo(31)
	if len(got) != 2 || got[0].SubscriptionID != 9 || !got[0].At.Equal(now) || got[1].SubscriptionID != 10 {
		t.Fatalf("AttachedTo(31) = %+v", got)
	}
	later := now.Add(customer.AttachmentGrace - time.Second)
	if !got[0].Recent(later) || got[1].Recent(later) || got[0].Recent(now.Add(customer.AttachmentGrace)) {
		t.Fatalf("recent at %v: %v, %v", later, got[0].Recent(later), got[1].Recent(later))
	}
	if len(s.AttachedTo(32)) != 0 {
		t.Fatal("another address has attachments")
	}
}

func TestAnAddressInUseKeepsItsPlace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		inUse bool
		patch customer.AddressPatch
		want  customer.Problems
	}{
		{"the country of an address in use cannot change", true,
			customer.AddressPatch{Country: ptr("FR"), State: ptr("")},
			customer.Problems{{Field: "country", Rule: customer.RuleInUse}, {Field: "state", Rule: customer.RuleInUse}}},
		{"nor its state", true, customer.AddressPatch{State: ptr("ON")},
			customer.Problems{{Field: "state", Rule: customer.RuleInUse}}},
		{"other rules are reported with it", true, customer.AddressPatch{State: ptr("ON"), Line1: ptr("")},
			customer.Problems{{Field: "line1", Rule: customer.RuleRequired}, {Field: "state", Rule: customer.RuleInUse}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer whose address a subscription uses, when its place changes, then it is refused
			events, err := customer.UpdateAddress(stateOf(registered(), added(home())),
				customer.AddressChange{AddressID: 31, Changes: tc.patch, InUse: tc.inUse}, now)
			wantProblems(t, events, err, tc.want)
		})
	}
	t.Run("the rest of an address in use changes, as does the place of one not in use", func(t *testing.T) {
		t.Parallel()
		line := home()
		line.Line1 = "8 Pine Ave"
		customers.Given(registered(), added(home())).When(on(customer.UpdateAddress, customer.AddressChange{
			AddressID: 31, InUse: true, Changes: customer.AddressPatch{Line1: ptr("8 Pine Ave"), State: ptr("qc")}})).
			Then(t, customer.AddressUpdated{CustomerID: annID, Address: line, UpdatedAt: now})
		paris := home()
		paris.Country, paris.State = "FR", ""
		customers.Given(registered(), added(home())).When(on(customer.UpdateAddress, customer.AddressChange{
			AddressID: 31, Changes: customer.AddressPatch{Country: ptr("FR"), State: ptr("")}})).
			Then(t, customer.AddressUpdated{CustomerID: annID, Address: paris, UpdatedAt: now})
	})
}

func TestMovingSubscriptionsOntoAnAddress(t *testing.T) {
	t.Parallel()
	canada, both := []string{"CA"}, []string{"US", "CA"}
	paris := home()
	paris.Country, paris.State = "FR", ""
	cases := []struct {
		name  string
		patch customer.AddressPatch
		moves []customer.Move
		want  []customer.Event
		err   error
	}{
		{"each subscription sold in the country is attached", customer.AddressPatch{},
			[]customer.Move{{SubscriptionID: 9, SoldIn: [][]string{canada, both}}, {SubscriptionID: 10}},
			[]customer.Event{attachedAt(9, now), attachedAt(10, now)}, nil},
		{"a plan sold everywhere moves anywhere, with the address's change",
			customer.AddressPatch{Country: ptr("FR"), State: ptr("")},
			[]customer.Move{{SubscriptionID: 10, SoldIn: [][]string{nil}}},
			[]customer.Event{customer.AddressUpdated{CustomerID: annID, Address: paris, UpdatedAt: now}, attachedAt(10, now)},
			nil},
		{"one plan not sold in the new country refuses everything",
			customer.AddressPatch{Country: ptr("FR"), State: ptr("")},
			[]customer.Move{{SubscriptionID: 10}, {SubscriptionID: 9, SoldIn: [][]string{nil, canada}}}, nil,
			customer.ErrNotSoldThere},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's Quebec address, when her subscriptions move onto it
			outcome := customers.Given(registered(), added(home())).When(on(customer.UpdateAddress,
				customer.AddressChange{AddressID: 31, Changes: tc.patch, Moves: tc.moves}))
			// then each is attached to it, or nothing changes
			if tc.err != nil {
				outcome.ThenError(t, tc.err)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}
