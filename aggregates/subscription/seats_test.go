package subscription_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// membership is a membership subscription of customer 42 seating two members.
func membership() subscription.Created {
	c := created()
	c.Type, c.Terms.Membership, c.Terms.MemberSeatCapacity = subscription.TypeMembership, true, 2
	return c
}

func invited(id int64, email string) subscription.MemberInvited {
	return subscription.MemberInvited{SubscriptionID: 1, MemberID: id, OwnerID: 42, SiteID: 1232, Email: email, InvitedAt: t0}
}

// owner is the address of the membership's owner, customer 42.
const owner = "owner@example.com"

func invite(emails ...string) func(subscription.State) ([]subscription.Event, error) {
	return func(s subscription.State) ([]subscription.Event, error) {
		return subscription.InviteMembers(s, emails, owner, t0)
	}
}

func TestInviteMembers(t *testing.T) {
	t.Parallel()
	activated := subscription.MemberActivated{SubscriptionID: 1, MemberID: 1, CustomerID: 77, ActivatedAt: t0}
	removed := subscription.MemberRemoved{SubscriptionID: 1, MemberID: 1, RemovedAt: t0}
	// given a membership, when addresses are invited, then each gets a pending seat numbered after the last
	spec.Given(membership()).When(invite(" Ann@Example.com", "bob@example.com")).
		Then(t, invited(1, "ann@example.com"), invited(2, "bob@example.com"))
	// and a removed seat is free again, while its id is never reused
	spec.Given(membership(), invited(1, "ann@example.com"), invited(2, "bob@example.com"), removed).
		When(invite("ann@example.com")).Then(t, invited(3, "ann@example.com"))
	cases := []struct {
		name   string
		given  []subscription.Event
		emails []string
		field  string
		rule   subscription.Rule
	}{
		{"no address", nil, nil, "invitation_emails", subscription.RuleRequired},
		{"too many", nil, make([]string, 101), "invitation_emails", subscription.RuleMaxItems},
		{"not an email", nil, []string{"ann"}, "invitation_emails.0", subscription.RuleEmail},
		{"too long", nil, []string{strings.Repeat("a", 250) + "@example.com"}, "invitation_emails.0", subscription.RuleMaxLength},
		{"twice", nil, []string{"ann@example.com", "ANN@example.com"}, "invitation_emails.1", subscription.RuleDistinct},
		{"pending", []subscription.Event{invited(1, "ann@example.com")}, []string{"ann@example.com"},
			"invitation_emails.0", subscription.RuleInvited},
		{"active", []subscription.Event{invited(1, "ann@example.com"), activated}, []string{"ann@example.com"},
			"invitation_emails.0", subscription.RuleActiveMember},
		{"the owner's own address", nil, []string{"bob@example.com", " Owner@Example.com"}, "invitation_emails.1",
			subscription.RuleOwner},
		{"over capacity", []subscription.Event{invited(1, "ann@example.com")},
			[]string{"bob@example.com", "cy@example.com"}, "invitation_emails", subscription.RuleSeatCapacity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the seats, when the addresses are invited, then the problem names the field and rule
			events, err := subscription.InviteMembers(fold(append([]subscription.Event{membership()}, tc.given...)...),
				tc.emails, owner, t0)
			var p subscription.Problems
			if len(events) != 0 || !errors.As(err, &p) || p[0].Field != tc.field || p[0].Rule != tc.rule {
				t.Fatalf("InviteMembers = %v, %v; want %s %s", events, err, tc.field, tc.rule)
			}
		})
	}
}

func TestInviteRefusesOtherSubscriptions(t *testing.T) {
	t.Parallel()
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, By: subscription.ByCustomer, EndedAt: t1}
	// given no subscription or a regular one, when members are invited, then it is not a membership
	spec.Given().When(invite("ann@example.com")).ThenError(t, subscription.ErrNotMembership)
	spec.Given(created()).When(invite("ann@example.com")).ThenError(t, subscription.ErrNotMembership)
	// given an ended membership, then nobody is invited
	spec.Given(membership(), ended).When(invite("ann@example.com")).ThenError(t, subscription.ErrEnded)
}

func TestRemoveMember(t *testing.T) {
	t.Parallel()
	remove := func(id int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.RemoveMember(s, id, t1) }
	}
	removed := subscription.MemberRemoved{SubscriptionID: 1, MemberID: 1, RemovedAt: t1}
	// given a seat, when it is removed, then once; another id is no seat of this subscription
	spec.Given(membership(), invited(1, "ann@example.com")).When(remove(1)).Then(t, removed)
	spec.Given(membership(), invited(1, "ann@example.com"), removed).When(remove(1)).ThenError(t, subscription.ErrMemberNotFound)
	spec.Given(membership()).When(remove(9)).ThenError(t, subscription.ErrMemberNotFound)
	spec.Given(created()).When(remove(1)).ThenError(t, subscription.ErrNotMembership)
}

func TestActivateMember(t *testing.T) {
	t.Parallel()
	activate := func(email string, customer int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.ActivateMember(s, email, customer, t1)
		}
	}
	activated := subscription.MemberActivated{SubscriptionID: 1, MemberID: 2, CustomerID: 77, ActivatedAt: t1}
	seats := []subscription.Event{membership(), invited(1, "ann@example.com"), invited(2, "bob@example.com")}
	// given pending seats, when the invitee claims with any spelling of the address, then that seat is active
	spec.Given(seats...).When(activate("Bob@Example.com ", 77)).Then(t, activated)
	// and claiming again, an unknown address, the owner or an erased address are no-ops
	spec.Given(append(seats, activated)...).When(activate("bob@example.com", 77)).Then(t)
	spec.Given(seats...).When(activate("cy@example.com", 77)).Then(t)
	spec.Given(seats...).When(activate("bob@example.com", 42)).Then(t)
	spec.Given(append(seats, subscription.Erased{SubscriptionID: 1, ErasedAt: t1})...).When(activate("", 77)).Then(t)
	spec.Given(created()).When(activate("bob@example.com", 77)).Then(t)
	// given a seat still pending when the subscription ended, when the invitee claims it, then nothing: an
	// ended subscription seats nobody
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, By: subscription.BySystem, EndedAt: t1}
	spec.Given(append(seats, ended)...).When(activate("bob@example.com", 77)).Then(t)
}

func TestInviteReportsEveryBrokenRuleAtOnce(t *testing.T) {
	t.Parallel()
	// given a membership seating two with one seat taken
	s := fold(membership(), invited(1, "ann@example.com"))
	// when two good addresses and a bad one are invited
	events, err := subscription.InviteMembers(s, []string{"bob@example.com", "cy@example.com", "bad"}, owner, t0)
	// then both the bad address and the capacity the good ones alone pass are reported
	var p subscription.Problems
	if len(events) != 0 || !errors.As(err, &p) || len(p) != 2 ||
		p[0].Field != "invitation_emails.2" || p[0].Rule != subscription.RuleEmail ||
		p[1].Field != "invitation_emails" || p[1].Rule != subscription.RuleSeatCapacity {
		t.Fatalf("InviteMembers = %v, %v; want invitation_emails.2 email and invitation_emails capacity", events, err)
	}
	// and a bad address beside good ones that fit reports the bad one alone
	events, err = subscription.InviteMembers(s, []string{"bob@example.com", "bad"}, owner, t0)
	if len(events) != 0 || !errors.As(err, &p) || len(p) != 1 || p[0].Field != "invitation_emails.1" {
		t.Fatalf("InviteMembers = %v, %v; want invitation_emails.1 alone", events, err)
	}
}
