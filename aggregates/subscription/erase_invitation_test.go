package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestEraseInvitation(t *testing.T) {
	t.Parallel()
	erase := func(id int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.EraseInvitation(s, id, t1)
		}
	}
	erased := func(id int64) subscription.MemberInvitationErased {
		return subscription.MemberInvitationErased{SubscriptionID: 1, MemberID: id, ErasedAt: t1}
	}
	seats := []subscription.Event{membership(), invited(1, "ann@example.com"), invited(2, "bob@example.com")}
	removed := subscription.MemberRemoved{SubscriptionID: 1, MemberID: 1, RemovedAt: t1}
	// given seats, when one's invitation is erased, then once; a removed seat's too (the read model keeps it)
	spec.Given(seats...).When(erase(2)).Then(t, erased(2))
	spec.Given(append(seats, erased(2))...).When(erase(2)).Then(t)
	spec.Given(append(seats, removed)...).When(erase(1)).Then(t, erased(1))
	// erasing an erased invitation again is a no-op, whether its seat was removed before or after
	spec.Given(append(seats, removed, erased(1))...).When(erase(1)).Then(t)
	spec.Given(append(seats, erased(1), removed)...).When(erase(1)).Then(t)
	// a seat never given is none of this subscription's; an erased subscription has no address left
	spec.Given(seats...).When(erase(3)).ThenError(t, subscription.ErrMemberNotFound)
	spec.Given(seats...).When(erase(0)).ThenError(t, subscription.ErrMemberNotFound)
	spec.Given().When(erase(1)).ThenError(t, subscription.ErrNotFound)
	spec.Given(append(seats, subscription.Erased{SubscriptionID: 1, ErasedAt: t1})...).When(erase(1)).Then(t)
}

func TestAnErasedInvitationFreesItsAddressAndCannotBeClaimed(t *testing.T) {
	t.Parallel()
	seats := []subscription.Event{membership(), invited(1, "ann@example.com"), invited(2, "bob@example.com"),
		subscription.MemberInvitationErased{SubscriptionID: 1, MemberID: 2, ErasedAt: t1}}
	// given bob's invitation erased, when someone claims it, then nothing
	spec.Given(seats...).When(func(s subscription.State) ([]subscription.Event, error) {
		return subscription.ActivateMember(s, "bob@example.com", 77, t1)
	}).Then(t)
	// when the owner invites bob's address again, then it is a new seat (capacity allowing)
	more := membership()
	more.Terms.MemberSeatCapacity = 3
	spec.Given(append([]subscription.Event{more}, seats[1:]...)...).When(invite("bob@example.com")).
		Then(t, invited(3, "bob@example.com"))
}
