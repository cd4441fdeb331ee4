package intent_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	spec := aggtest.For(intent.Events, intent.Evolve)
	first := intent.Registered{IntentID: "seti_1", Kind: "setup_intent", Gateway: "stripe", Owner: "wallet-7",
		CustomerID: 7, AccountID: 3, RegisteredAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	register := func(r intent.Registered) func(intent.State) ([]intent.Event, error) {
		return func(s intent.State) ([]intent.Event, error) { return intent.Register(s, r) }
	}
	// given nothing, when registered, then the owner is recorded
	spec.Given().When(register(first)).Then(t, first)
	// given the same registration, when retried, then nothing more
	later := first
	later.RegisteredAt = later.RegisteredAt.Add(time.Minute)
	spec.Given(first).When(register(later)).Then(t)
	// given a registration, when another owner claims the intent, then it is refused
	other := first
	other.Owner = "wallet-8"
	spec.Given(first).When(register(other)).ThenError(t, intent.ErrTaken)
}
