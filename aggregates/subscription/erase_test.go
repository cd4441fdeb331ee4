package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestErase(t *testing.T) {
	t.Parallel()
	erase := func(s subscription.State) ([]subscription.Event, error) { return subscription.Erase(s, t1) }
	erased := subscription.Erased{SubscriptionID: 1, ErasedAt: t1}
	// given a subscription, when it is erased, then once
	spec.Given(created()).When(erase).Then(t, erased)
	spec.Given(created(), erased).When(erase).Then(t)
	spec.Given().When(erase).ThenError(t, subscription.ErrNotFound)
}
